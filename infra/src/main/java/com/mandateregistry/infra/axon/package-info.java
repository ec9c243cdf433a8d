/** Axon wiring: serializers, the JDBC token store, event metadata and Kafka publishing. */
package com.mandateregistry.infra.axon;

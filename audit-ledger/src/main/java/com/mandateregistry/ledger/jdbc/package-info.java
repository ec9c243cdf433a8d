/** Plain-JDBC mapping of the ledger tables, shared by the Spring repository and the Spring-free compliance CLI. */
package com.mandateregistry.ledger.jdbc;

/** Spring wiring of the ledger in the service: start-up chain check, key publication, the processor. */
package com.mandateregistry.ledger.config;

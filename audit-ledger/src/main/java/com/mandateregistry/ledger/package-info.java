/** The audit ledger projection: appends each event to its tenant's hash chain, signs it, stores it append-only and checks the chain heads on start. */
package com.mandateregistry.ledger;

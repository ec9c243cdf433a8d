/** The REST endpoints of the audit trail (004 "Events") and of the ledger's public keys. */
package com.mandateregistry.ledger.web;

/** The ledger's versioned wire format: entries, their canonical byte encoding and hash, public keys as JWKs, and the export file layout. */
package com.mandateregistry.ledger.format;

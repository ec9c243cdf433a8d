/** The Proof-of-Mandate (an SD-JWT VC signed by the registry's did:web issuer) and the issuer's DID document at {@code /.well-known/did.json}; see docs/proof-of-mandate.md. */
package com.mandateregistry.query.verification.proof;

/** Signing and verification ports (ES256 signer, verifier, key directory, JWK forms) shared by every module that signs or checks signatures. */
package com.mandateregistry.crypto;

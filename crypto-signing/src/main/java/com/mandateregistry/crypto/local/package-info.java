/** A signer whose ECDSA P-256 keys live in a PKCS12 keystore file, with rotation, for development and single-node installations. */
package com.mandateregistry.crypto.local;

/** Signing and verification ports, with AWS KMS and local-key implementations. */
package com.mandateregistry.crypto;

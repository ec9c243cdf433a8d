/** A signer backed by an AWS KMS ECC_NIST_P256 key, the only code in the project that touches the KMS SDK. */
package com.mandateregistry.crypto.kms;

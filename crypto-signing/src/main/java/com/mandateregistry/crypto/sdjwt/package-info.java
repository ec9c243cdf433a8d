/** SD-JWT VC (RFC 9901, {@code typ} {@code dc+sd-jwt}) issuance on top of the {@code Signer} port, so that AWS KMS signs credentials too. */
package com.mandateregistry.crypto.sdjwt;

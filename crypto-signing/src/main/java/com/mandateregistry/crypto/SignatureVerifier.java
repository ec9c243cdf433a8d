package com.mandateregistry.crypto;

import java.security.GeneralSecurityException;

/** Verifies signatures made by one public key. There is no boolean to forget: failure throws. */
public interface SignatureVerifier {

  /**
   * Checks that {@code derSignature} is a valid ECDSA P-256 / SHA-256 signature over {@code data}.
   *
   * @throws GeneralSecurityException if the signature does not verify or cannot be parsed
   */
  void verify(byte[] derSignature, byte[] data) throws GeneralSecurityException;
}

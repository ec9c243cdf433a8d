package com.mandateregistry.crypto;

import java.security.GeneralSecurityException;
import java.util.Collection;

/** No public key with the requested key id is known, so nothing signed by it can be verified. */
public class UnknownKeyException extends GeneralSecurityException {

  private final String keyId;

  public UnknownKeyException(String keyId, Collection<String> knownKeyIds) {
    super("unknown signing key id '" + keyId + "'; known key ids: " + knownKeyIds);
    this.keyId = keyId;
  }

  /** The key id that was asked for. */
  public String keyId() {
    return keyId;
  }
}

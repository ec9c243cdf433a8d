package com.mandateregistry.crypto;

import java.security.GeneralSecurityException;

/** The one exception a {@link Signer} throws: the key is unavailable or the signing service failed. */
public class SigningException extends GeneralSecurityException {

  public SigningException(String message) {
    super(message);
  }

  public SigningException(String message, Throwable cause) {
    super(message, cause);
  }
}

package com.mandateregistry.crypto.sdjwt;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Where the salt of each disclosure comes from (RFC 9901 section 4.2.1). Production uses {@link
 * #secureRandom()}; tests inject fixed salts to get known answers.
 */
@FunctionalInterface
public interface SaltSource {

  /** Number of random bytes in a salt: 128 bits, the minimum RFC 9901 recommends. */
  int SALT_BYTES = 16;

  /** The next salt, a string that goes verbatim into the disclosure's JSON array. */
  String next();

  /**
   * Salts of {@value #SALT_BYTES} bytes from a {@link SecureRandom}, base64url encoded without
   * padding (22 characters).
   */
  static SaltSource secureRandom() {
    SecureRandom random = new SecureRandom();
    Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
    return () -> {
      byte[] salt = new byte[SALT_BYTES];
      random.nextBytes(salt);
      return encoder.encodeToString(salt);
    };
  }
}

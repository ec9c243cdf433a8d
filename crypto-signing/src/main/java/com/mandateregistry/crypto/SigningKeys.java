package com.mandateregistry.crypto;

import java.util.Collection;

/**
 * The signing key directory port: the signer to use now, and every key to publish (current and
 * retired) so that older signatures still verify by their key id.
 *
 * <p>Implementations: {@code local.LocalKeySigner} (a keystore file, with rotation) and {@link
 * #of(Signer, Collection)} for a signer whose published keys are known up front, such as {@code
 * kms.KmsSigner}.
 */
public interface SigningKeys extends VerificationKeys {

  /** The signer for new signatures. Its {@link Signer#keyId()} is a current key in {@link #publicKeys()}. */
  Signer currentSigner();

  /**
   * A directory of one signer and its published keys.
   *
   * @param signer the current signer
   * @param publishedKeys the signer's key (not retired) and any retired keys
   * @throws IllegalArgumentException if the signer's key is missing from {@code publishedKeys} or
   *     is retired there, or if the keys are inconsistent (see {@link VerificationKeys#of})
   */
  static SigningKeys of(Signer signer, Collection<PublicKeyInfo> publishedKeys) {
    return new FixedSigningKeys(signer, publishedKeys);
  }
}

package com.mandateregistry.crypto;

import java.util.Collection;
import java.util.Objects;

/** A fixed signer with a fixed set of published keys; see {@link SigningKeys#of}. */
final class FixedSigningKeys extends FixedVerificationKeys implements SigningKeys {

  private final Signer signer;

  FixedSigningKeys(Signer signer, Collection<PublicKeyInfo> keys) {
    super(keys);
    this.signer = Objects.requireNonNull(signer, "signer");
    PublicKeyInfo own =
        publicKeys().stream()
            .filter(k -> k.keyId().equals(signer.keyId()))
            .findFirst()
            .orElseThrow(
                () -> new IllegalArgumentException(
                    "the signer's key " + signer.keyId() + " is not among the published keys"));
    if (own.isRetired()) {
      throw new IllegalArgumentException("the signer's key " + own.keyId() + " is retired");
    }
  }

  @Override
  public Signer currentSigner() {
    return signer;
  }
}

package com.mandateregistry.crypto;

import java.util.Arrays;
import java.util.Objects;

/**
 * A signature together with the id of the key and the algorithm that made it, so that a rotated key
 * still verifies the entries it signed.
 *
 * @param keyId the signing key's id
 * @param algorithm the JOSE algorithm name, for example {@code ES256}
 * @param der the signature, ASN.1 DER encoded
 */
public record KeyedSignature(String keyId, String algorithm, byte[] der) {

  public KeyedSignature {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(algorithm, "algorithm");
    der = Objects.requireNonNull(der, "der").clone();
  }

  @Override
  public byte[] der() {
    return der.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyedSignature other
        && keyId.equals(other.keyId)
        && algorithm.equals(other.algorithm)
        && Arrays.equals(der, other.der);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyId, algorithm, Arrays.hashCode(der));
  }

  @Override
  public String toString() {
    return "KeyedSignature[keyId=" + keyId + ", algorithm=" + algorithm + "]";
  }
}

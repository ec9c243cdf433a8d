package com.mandateregistry.crypto;

/**
 * Signs data with one asymmetric key.
 *
 * <p>The algorithm is ECDSA on P-256 over SHA-256 of {@code data} ("ES256" in JOSE terms). The
 * returned signature is ASN.1 DER encoded (as AWS KMS returns it and as {@code openssl dgst -verify}
 * expects); use {@link Signatures#derToConcat(byte[], int)} where JWS needs R||S.
 */
public interface Signer {

  /**
   * Signs {@code data}. Implementations hash the data with SHA-256 themselves, so the input may be
   * of any length.
   *
   * @throws SigningException when the key is unavailable or the signing service fails; the cause is
   *     kept
   */
  KeyedSignature sign(byte[] data) throws SigningException;

  /** The id of the key this signer uses; every signature it makes names this id. */
  String keyId();
}

package com.mandateregistry.crypto;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.impl.ECDSA;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SignatureException;
import java.util.Objects;

/**
 * Conversions between the two ECDSA signature encodings, and the SHA-256 helper.
 *
 * <p>{@link Signer}s return ASN.1 DER ({@code SEQUENCE { INTEGER r, INTEGER s }}), as AWS KMS and
 * OpenSSL do. JWS ES256 (RFC 7518 section 3.4) needs the fixed-length concatenation {@code R || S},
 * each value unsigned big-endian and left-padded to 32 bytes, 64 bytes in all. The transcoding is
 * Nimbus JOSE+JWT's, not a hand-rolled ASN.1 codec.
 */
public final class Signatures {

  /** The JOSE algorithm name of every signature in this module: ECDSA P-256 with SHA-256. */
  public static final String ES256 = "ES256";

  /** Length in bytes of an ES256 signature in JWS form ({@code R || S}). */
  public static final int ES256_CONCAT_LENGTH = 64;

  private Signatures() {}

  /**
   * Converts a DER signature to the JWS {@code R || S} form.
   *
   * @param der the ASN.1 DER signature
   * @param outputLength the length of the output, {@value #ES256_CONCAT_LENGTH} for ES256
   * @throws SignatureException if {@code der} is not a valid ECDSA DER signature of that size
   */
  public static byte[] derToConcat(byte[] der, int outputLength) throws SignatureException {
    Objects.requireNonNull(der, "der");
    try {
      return ECDSA.transcodeSignatureToConcat(der, outputLength);
    } catch (JOSEException | RuntimeException e) {
      throw new SignatureException("not a valid ECDSA DER signature", e);
    }
  }

  /** Converts a DER signature to the 64-byte ES256 JWS form; see {@link #derToConcat(byte[], int)}. */
  public static byte[] derToConcat(byte[] der) throws SignatureException {
    return derToConcat(der, ES256_CONCAT_LENGTH);
  }

  /**
   * Converts a JWS {@code R || S} signature to ASN.1 DER.
   *
   * @throws SignatureException if {@code concat} is empty or of odd length
   */
  public static byte[] concatToDer(byte[] concat) throws SignatureException {
    Objects.requireNonNull(concat, "concat");
    if (concat.length == 0 || concat.length % 2 != 0) {
      throw new SignatureException(
          "an R||S signature has a non-zero even length, got " + concat.length);
    }
    try {
      return ECDSA.transcodeSignatureToDER(concat);
    } catch (JOSEException | RuntimeException e) {
      throw new SignatureException("not a valid R||S signature", e);
    }
  }

  /** The SHA-256 digest of {@code data}. */
  public static byte[] sha256(byte[] data) {
    Objects.requireNonNull(data, "data");
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }
}

package com.mandateregistry.crypto;

import com.nimbusds.jose.jwk.Curve;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;

/**
 * Verifies ES256 signatures (ECDSA on P-256 with SHA-256 over the data) in ASN.1 DER form with one
 * P-256 public key.
 *
 * <p>Only the canonical DER encoding of {@code (r, s)} is accepted: trailing bytes, non-minimal
 * integers and other BER variants are rejected before the JCA check runs, so that one signature has
 * one byte representation. Instances are immutable and thread-safe.
 */
public final class EcdsaVerifier implements SignatureVerifier {

  private static final String JCA_ALGORITHM = "SHA256withECDSA";

  private final ECPublicKey publicKey;

  /**
   * Creates a verifier for {@code publicKey}.
   *
   * @throws IllegalArgumentException if the key is not an EC key on the P-256 curve
   */
  public EcdsaVerifier(PublicKey publicKey) {
    Objects.requireNonNull(publicKey, "publicKey");
    if (!isP256(publicKey)) {
      throw new IllegalArgumentException(
          "ES256 needs an EC P-256 public key, got " + describe(publicKey));
    }
    this.publicKey = (ECPublicKey) publicKey;
  }

  /** Whether {@code key} is an EC public key on the NIST P-256 (secp256r1) curve. */
  public static boolean isP256(PublicKey key) {
    return key instanceof ECPublicKey ec
        && Curve.P_256.equals(Curve.forECParameterSpec(ec.getParams()));
  }

  /** The public key this verifier checks against. */
  public ECPublicKey publicKey() {
    return publicKey;
  }

  @Override
  public void verify(byte[] derSignature, byte[] data) throws GeneralSecurityException {
    Objects.requireNonNull(derSignature, "derSignature");
    Objects.requireNonNull(data, "data");
    requireCanonicalDer(derSignature);
    Signature signature = Signature.getInstance(JCA_ALGORITHM);
    signature.initVerify(publicKey);
    signature.update(data);
    if (!signature.verify(derSignature)) {
      throw new SignatureException("ES256 signature does not verify");
    }
  }

  private static void requireCanonicalDer(byte[] der) throws SignatureException {
    byte[] canonical;
    try {
      ASN1Sequence sequence = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
      if (sequence.size() != 2) {
        throw new SignatureException("an ECDSA signature is a SEQUENCE of two INTEGERs");
      }
      ASN1Integer r = ASN1Integer.getInstance(sequence.getObjectAt(0));
      ASN1Integer s = ASN1Integer.getInstance(sequence.getObjectAt(1));
      canonical = new DERSequence(new ASN1Integer[] {r, s}).getEncoded(ASN1Encoding.DER);
    } catch (IOException | RuntimeException e) {
      throw new SignatureException("not a valid ECDSA DER signature", e);
    }
    if (!Arrays.equals(canonical, der)) {
      throw new SignatureException("ECDSA signature is not in canonical DER form");
    }
  }

  private static String describe(PublicKey key) {
    if (key instanceof ECPublicKey ec) {
      Curve curve = Curve.forECParameterSpec(ec.getParams());
      return "an EC key on " + (curve == null ? "an unnamed curve" : curve.getName());
    }
    return "a " + key.getAlgorithm() + " key";
  }

  @Override
  public String toString() {
    return "EcdsaVerifier[ES256]";
  }
}

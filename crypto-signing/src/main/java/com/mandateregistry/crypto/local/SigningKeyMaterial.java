package com.mandateregistry.crypto.local;

import com.mandateregistry.crypto.Signatures;
import com.mandateregistry.crypto.SigningException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Holds one private signing key. It has no getter and no {@code toString} that shows the key: the
 * key is only used, to sign data, to self-sign its certificate and to be stored in a keystore.
 *
 * <p>Signatures are made by Bouncy Castle's {@link ECDSASigner} on its P-256 implementation
 * ({@code CustomNamedCurves} "secp256r1", fixed-base comb multiplication), with the nonce derived
 * deterministically from the key and the digest (RFC 6979, HMAC-SHA-256, the hashing done by the
 * JDK's intrinsic SHA-256, {@link JdkSha256Digest}): no random number
 * generator can weaken a signature, and the same data always gives the same signature. The JDK's
 * own ECDSA (SunEC) produces the same kind of signature, but on Java 17 it signs roughly ten
 * times more slowly, and the audit ledger signs every event (BENCHMARKS.md).
 */
final class SigningKeyMaterial {

  private static final String JCA_ALGORITHM = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
  private static final ECDomainParameters DOMAIN =
      new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(), P256.getH(), P256.getSeed());

  private final PrivateKey privateKey;
  private final ECPrivateKeyParameters signingKey;

  SigningKeyMaterial(PrivateKey privateKey) {
    this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
    if (!(privateKey instanceof ECPrivateKey ec)
        || ec.getParams().getCurve().getField().getFieldSize() != 256
        || !ec.getParams().getOrder().equals(P256.getN())) {
      throw new IllegalArgumentException("the signing key is not an EC P-256 private key");
    }
    this.signingKey = new ECPrivateKeyParameters(ec.getS(), DOMAIN);
  }

  /** ECDSA P-256 / SHA-256 over {@code data}, DER encoded, deterministic (RFC 6979). */
  byte[] sign(byte[] data) throws SigningException {
    try {
      byte[] digest = Signatures.sha256(data);
      ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new JdkSha256Digest()));
      signer.init(true, signingKey);
      BigInteger[] rs = signer.generateSignature(digest);
      return StandardDSAEncoding.INSTANCE.encode(DOMAIN.getN(), rs[0], rs[1]);
    } catch (RuntimeException | java.io.IOException e) {
      throw new SigningException("local signing key cannot sign", e);
    }
  }

  /**
   * A self-signed certificate for {@code publicKey} (the pair of this key) valid over
   * [{@code notBefore}, {@code notAfter}]. The keystore uses the validity period to record when the
   * key started and stopped signing.
   */
  X509Certificate selfSignedCertificate(
      PublicKey publicKey, String keyId, Instant notBefore, Instant notAfter)
      throws GeneralSecurityException {
    X500Name name =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, "Mandate Registry")
            .addRDN(BCStyle.CN, "signing key " + keyId)
            .build();
    try {
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              name,
              new BigInteger(127, RANDOM).add(BigInteger.ONE),
              Date.from(notBefore),
              Date.from(notAfter),
              name,
              publicKey);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      X509Certificate certificate =
          new JcaX509CertificateConverter()
              .getCertificate(builder.build(new JcaContentSignerBuilder(JCA_ALGORITHM).build(privateKey)));
      certificate.verify(publicKey);
      return certificate;
    } catch (CertIOException | OperatorCreationException e) {
      throw new GeneralSecurityException("cannot build the signing key's certificate", e);
    }
  }

  /** Stores this key as the private key entry {@code alias}, with its certificate. */
  void storeIn(KeyStore keyStore, String alias, char[] password, Certificate certificate)
      throws GeneralSecurityException {
    keyStore.setKeyEntry(alias, privateKey, password, new Certificate[] {certificate});
  }

  @Override
  public String toString() {
    return "SigningKeyMaterial[redacted]";
  }
}

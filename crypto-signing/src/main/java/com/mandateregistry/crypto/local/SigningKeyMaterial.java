package com.mandateregistry.crypto.local;

import com.mandateregistry.crypto.SigningException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
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
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Holds one private signing key. It has no getter and no {@code toString} that shows the key: the
 * key is only used, to sign data, to self-sign its certificate and to be stored in a keystore.
 */
final class SigningKeyMaterial {

  private static final String JCA_ALGORITHM = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PrivateKey privateKey;

  SigningKeyMaterial(PrivateKey privateKey) {
    this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
  }

  /** ECDSA P-256 / SHA-256 over {@code data}, DER encoded. */
  byte[] sign(byte[] data) throws SigningException {
    try {
      Signature signature = Signature.getInstance(JCA_ALGORITHM);
      signature.initSign(privateKey);
      signature.update(data);
      return signature.sign();
    } catch (GeneralSecurityException e) {
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

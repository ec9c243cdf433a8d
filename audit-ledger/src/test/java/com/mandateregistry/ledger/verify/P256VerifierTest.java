package com.mandateregistry.ledger.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mandateregistry.ledger.testsupport.TestSigner;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECPublicKey;
import java.util.Random;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link P256Verifier} must agree with SunEC on every signature, valid or not. */
class P256VerifierTest {

  private static final BigInteger N = CustomNamedCurves.getByName("secp256r1").getN();

  private static TestSigner signer;
  private static P256Verifier fast;

  @BeforeAll
  static void key() {
    signer = TestSigner.generate();
    fast = P256Verifier.forKey(signer.publicKey());
  }

  @Test
  void agreesWithSunEc_onValidAndAlteredSignatures() throws Exception {
    Random random = new Random(42);
    for (int i = 0; i < 300; i++) {
      byte[] message = new byte[1 + random.nextInt(600)];
      random.nextBytes(message);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(message);
      byte[] der = signer.sign(message).der();

      assertThat(fastAccepts(digest, der)).as("valid #%d", i).isTrue();
      assertThat(jcaAccepts(signer.publicKey(), digest, der)).isTrue();

      byte[] otherDigest = digest.clone();
      otherDigest[random.nextInt(32)] ^= (byte) (1 << random.nextInt(8));
      assertThat(fastAccepts(otherDigest, der)).as("altered digest #%d", i).isFalse();

      BigInteger[] rs = decode(der);
      byte[] otherS = encode(rs[0], rs[1].add(BigInteger.ONE).mod(N));
      assertThat(fastAccepts(digest, otherS)).isEqualTo(jcaAccepts(signer.publicKey(), digest, otherS)).isFalse();
      byte[] otherR = encode(rs[0].add(BigInteger.ONE).mod(N), rs[1]);
      assertThat(fastAccepts(digest, otherR)).isEqualTo(jcaAccepts(signer.publicKey(), digest, otherR)).isFalse();
    }
  }

  @Test
  void rejectsSignaturesOfAnotherKey() throws Exception {
    TestSigner other = TestSigner.generate();
    byte[] message = "entry".getBytes();
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(message);
    assertThat(fastAccepts(digest, other.sign(message).der())).isFalse();
    assertThat(P256Verifier.forKey(other.publicKey()).equals(fast)).isFalse();
  }

  @Test
  void acceptsTheMalleatedSignature_likeSunEc() throws Exception {
    byte[] message = "malleable".getBytes();
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(message);
    BigInteger[] rs = decode(signer.sign(message).der());
    byte[] negated = encode(rs[0], N.subtract(rs[1]));
    assertThat(jcaAccepts(signer.publicKey(), digest, negated)).isTrue();
    assertThat(fastAccepts(digest, negated)).isTrue();
  }

  @Test
  void rejectsOutOfRangeScalars() throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest("x".getBytes());
    BigInteger[] rs = decode(signer.sign("x".getBytes()).der());
    assertThat(fastAccepts(digest, rawDer(BigInteger.ZERO, rs[1]))).isFalse();
    assertThat(fastAccepts(digest, rawDer(rs[0], BigInteger.ZERO))).isFalse();
    assertThat(fastAccepts(digest, rawDer(N, rs[1]))).isFalse();
    assertThat(fastAccepts(digest, rawDer(rs[0], N))).isFalse();
    assertThat(fastAccepts(digest, rawDer(rs[0].add(N), rs[1]))).isFalse();
  }

  @Test
  void rejectsNonStrictDer() throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest("y".getBytes());
    byte[] der = signer.sign("y".getBytes()).der();
    byte[] trailing = java.util.Arrays.copyOf(der, der.length + 1);
    assertThatThrownBy(() -> fast.verifyDigest(digest, trailing)).isInstanceOf(SignatureException.class);
    assertThatThrownBy(() -> fast.verifyDigest(digest, new byte[] {0x30, 0x00}))
        .isInstanceOf(SignatureException.class);
    assertThatThrownBy(() -> fast.verifyDigest(digest, new byte[0])).isInstanceOf(SignatureException.class);
    assertThatThrownBy(() -> fast.verifyDigest(new byte[31], der)).isInstanceOf(SignatureException.class);
  }

  /**
   * The branch no random signature reaches (probability about 2^-128): x(R) lies in [n, p), so r =
   * x(R) - n. The key is built for the purpose: pick R with such an x and scalars u1, u2, then Q =
   * u2⁻¹(R - u1·G), s = r·u2⁻¹ and e = u1·s, so that u1·G + u2·Q = R.
   *
   * <p>SEC 1 says valid (x(R) mod n = r), and so do Bouncy Castle's ECDSASigner and OpenSSL 3.0
   * ({@code openssl pkeyutl -verify}). SunEC of Java 17.0.15 says invalid: it does not reduce x(R)
   * mod n. So here, and only here, {@code --engine JCA} and the FAST engine disagree; the reference
   * for this test is Bouncy Castle, and SunEC's answer is deliberately not asserted.
   */
  @Test
  void acceptsASignatureWhoseRxExceedsN_likeBouncyCastleAndOpenSsl() throws Exception {
    var curve = CustomNamedCurves.getByName("secp256r1");
    BigInteger p = curve.getCurve().getField().getCharacteristic();
    org.bouncycastle.math.ec.ECPoint bigR = null;
    for (BigInteger x = N; bigR == null && x.compareTo(p) < 0; x = x.add(BigInteger.ONE)) {
      bigR = pointWithX(curve.getCurve(), x);
    }
    assertThat(bigR).isNotNull();
    Random random = new Random(11);
    BigInteger u1 = new BigInteger(255, random).mod(N);
    BigInteger u2 = new BigInteger(255, random).mod(N);
    var q = bigR.subtract(curve.getG().multiply(u1)).multiply(u2.modInverse(N)).normalize();
    BigInteger r = bigR.getAffineXCoord().toBigInteger().mod(N);
    assertThat(bigR.getAffineXCoord().toBigInteger()).isGreaterThanOrEqualTo(N);
    BigInteger s = r.multiply(u2.modInverse(N)).mod(N);
    byte[] digest = org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, u1.multiply(s).mod(N));
    ECPublicKey key = publicKey(q);
    byte[] der = encode(r, s);

    org.bouncycastle.crypto.signers.ECDSASigner bc = new org.bouncycastle.crypto.signers.ECDSASigner();
    bc.init(false, new org.bouncycastle.crypto.params.ECPublicKeyParameters(q,
        new org.bouncycastle.crypto.params.ECDomainParameters(curve.getCurve(), curve.getG(), N, curve.getH())));
    P256Verifier verifier = P256Verifier.forKey(key);

    assertThat(bc.verifySignature(digest, r, s)).isTrue();
    assertThat(accepts(verifier, digest, der)).isTrue();
    byte[] otherDigest = digest.clone();
    otherDigest[31] ^= 1;
    assertThat(bc.verifySignature(otherDigest, r, s)).isFalse();
    assertThat(accepts(verifier, otherDigest, der)).isEqualTo(jcaAccepts(key, otherDigest, der)).isFalse();
  }

  /** u1·G + u2·Q is the point at infinity: no x(R), so no signature can be valid. */
  @Test
  void rejectsWhenTheSumIsThePointAtInfinity_likeSunEc() throws Exception {
    var curve = CustomNamedCurves.getByName("secp256r1");
    Random random = new Random(12);
    BigInteger u1 = new BigInteger(255, random).mod(N);
    BigInteger u2 = new BigInteger(255, random).mod(N);
    // Q = -(u1/u2)·G, so u1·G + u2·Q = O
    var q = curve.getG().multiply(u1.multiply(u2.modInverse(N)).negate().mod(N)).normalize();
    BigInteger r = new BigInteger(255, random).mod(N);
    BigInteger s = r.multiply(u2.modInverse(N)).mod(N);
    byte[] digest = org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, u1.multiply(s).mod(N));
    ECPublicKey key = publicKey(q);
    byte[] der = encode(r, s);
    assertThat(accepts(P256Verifier.forKey(key), digest, der)).isEqualTo(jcaAccepts(key, digest, der)).isFalse();
  }

  @Test
  void baseMultiplication_matchesBouncyCastle() {
    var g = CustomNamedCurves.getByName("secp256r1").getG();
    Random random = new Random(7);
    for (BigInteger k : new BigInteger[] {BigInteger.ONE, BigInteger.TWO, N.subtract(BigInteger.ONE),
        new BigInteger(256, random).mod(N), BigInteger.ONE.shiftLeft(255).mod(N)}) {
      assertThat(P256Verifier.baseMultiplyX(k))
          .isEqualTo(g.multiply(k).normalize().getAffineXCoord().toBigInteger());
    }
  }

  @Test
  void verifiesSignaturesMadeByTheFastTestSigner() throws Exception {
    FastTestSigner fastSigner = FastTestSigner.generate();
    byte[] message = "benchmark".getBytes();
    byte[] der = fastSigner.sign(message).der();
    Signature jca = Signature.getInstance("SHA256withECDSA");
    jca.initVerify(fastSigner.publicKey());
    jca.update(message);
    assertThat(jca.verify(der)).isTrue();
    assertThatCode(() -> P256Verifier.forKey(fastSigner.publicKey())
        .verifyDigest(MessageDigest.getInstance("SHA-256").digest(message), der)).doesNotThrowAnyException();
  }

  private static boolean accepts(P256Verifier verifier, byte[] digest, byte[] der) {
    try {
      verifier.verifyDigest(digest, der);
      return true;
    } catch (SignatureException e) {
      return false;
    }
  }

  /** The point with affine x-coordinate {@code x}, or null if there is none. */
  private static org.bouncycastle.math.ec.ECPoint pointWithX(org.bouncycastle.math.ec.ECCurve curve, BigInteger x) {
    byte[] compressed = new byte[33];
    compressed[0] = 0x02;
    System.arraycopy(org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, x), 0, compressed, 1, 32);
    try {
      return curve.decodePoint(compressed);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static ECPublicKey publicKey(org.bouncycastle.math.ec.ECPoint q) throws GeneralSecurityException {
    java.security.AlgorithmParameters parameters = java.security.AlgorithmParameters.getInstance("EC");
    parameters.init(new java.security.spec.ECGenParameterSpec("secp256r1"));
    return (ECPublicKey) java.security.KeyFactory.getInstance("EC").generatePublic(new java.security.spec.ECPublicKeySpec(
        new java.security.spec.ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()),
        parameters.getParameterSpec(java.security.spec.ECParameterSpec.class)));
  }

  private static boolean fastAccepts(byte[] digest, byte[] der) {
    try {
      fast.verifyDigest(digest, der);
      return true;
    } catch (SignatureException e) {
      return false;
    }
  }

  private static boolean jcaAccepts(ECPublicKey key, byte[] digest, byte[] der) throws GeneralSecurityException {
    Signature jca = Signature.getInstance("NONEwithECDSA");
    jca.initVerify(key);
    jca.update(digest);
    try {
      return jca.verify(der);
    } catch (SignatureException e) {
      return false;
    }
  }

  private static BigInteger[] decode(byte[] der) throws Exception {
    return StandardDSAEncoding.INSTANCE.decode(N, der);
  }

  private static byte[] encode(BigInteger r, BigInteger s) throws Exception {
    return StandardDSAEncoding.INSTANCE.encode(N, r, s);
  }

  /** DER SEQUENCE of two INTEGERs, without range checks. */
  private static byte[] rawDer(BigInteger r, BigInteger s) throws Exception {
    return new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
        new org.bouncycastle.asn1.ASN1Integer(r), new org.bouncycastle.asn1.ASN1Integer(s)}).getEncoded();
  }
}

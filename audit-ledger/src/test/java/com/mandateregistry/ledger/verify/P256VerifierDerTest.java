package com.mandateregistry.ledger.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.mandateregistry.ledger.testsupport.TestSigner;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.math.raw.Nat256;
import org.junit.jupiter.api.Test;

/**
 * {@link P256Verifier}'s own strict DER reader against Bouncy Castle's {@code StandardDSAEncoding}
 * (which the verifier used before): the same inputs accepted, with the same values, and the same
 * refused; and signatures over digests that are not below n.
 */
class P256VerifierDerTest {

  private static final BigInteger N = CustomNamedCurves.getByName("secp256r1").getN();

  /** BC's answer: (r, s), or null if it refuses the bytes. */
  private static BigInteger[] bc(byte[] der) {
    try {
      return StandardDSAEncoding.INSTANCE.decode(N, der);
    } catch (Exception e) {
      return null;
    }
  }

  private static BigInteger[] ours(byte[] der) {
    int[] r = new int[8];
    int[] s = new int[8];
    return P256Verifier.parseDer(der, r, s) ? new BigInteger[] {Nat256.toBigInteger(r), Nat256.toBigInteger(s)} : null;
  }

  private static void assertSameAsBouncyCastle(byte[] der) {
    BigInteger[] expected = bc(der);
    BigInteger[] actual = ours(der);
    String hex = HexFormat.of().formatHex(der);
    if (expected == null) {
      assertThat(actual).as("refused by BC: %s", hex).isNull();
    } else {
      assertThat(actual).as("accepted by BC: %s", hex).containsExactly(expected);
    }
  }

  private static byte[] der(String hex) {
    return HexFormat.of().parseHex(hex);
  }

  @Test
  void handPicked() throws Exception {
    // accepted: small values, a leading 0x00 before a high bit, zero (refused later, not here), n - 1
    assertThat(ours(der("3006020101020102"))).containsExactly(BigInteger.ONE, BigInteger.TWO);
    assertThat(ours(der("300702020080020101"))).containsExactly(BigInteger.valueOf(128), BigInteger.ONE);
    assertThat(ours(der("3006020100020101"))).containsExactly(BigInteger.ZERO, BigInteger.ONE);
    byte[] nMinus1 = StandardDSAEncoding.INSTANCE.encode(N, N.subtract(BigInteger.ONE), N.subtract(BigInteger.ONE));
    assertThat(ours(nMinus1)).containsExactly(N.subtract(BigInteger.ONE), N.subtract(BigInteger.ONE));
    String[] refused = {
      "", "30", "3000", "300602010102010200", // trailing byte
      "3007020101020102", "3005020101020102", // SEQUENCE length wrong
      "31060201010201020", "3106020101020102", // not a SEQUENCE
      "3006030101020102", // not an INTEGER
      "30060201ff020101", // negative
      "300702020001020101", // leading zero not needed
      "3006020080020101".substring(0, 14), // truncated
      "30070200020101", // empty INTEGER
      "3008020101020102", // content shorter than said
      "308106020101020102", // long-form length
      "30070201010202000102", // s with a needless zero byte (and lengths off)
    };
    for (String hex : refused) {
      byte[] bytes = hex.length() % 2 == 0 ? der(hex) : der(hex.substring(0, hex.length() - 1));
      assertThat(ours(bytes)).as(hex).isNull();
      assertSameAsBouncyCastle(bytes);
    }
    // r = n and r = 2^256 - 1 (33 bytes with the 0x00): out of range
    assertThat(ours(rawDer(N, BigInteger.ONE))).isNull();
    assertThat(ours(rawDer(BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE), BigInteger.ONE))).isNull();
    assertThat(ours(rawDer(BigInteger.ONE.shiftLeft(264), BigInteger.ONE))).isNull();
    assertSameAsBouncyCastle(rawDer(N, BigInteger.ONE));
  }

  @Test
  void mutatedSignaturesAreJudgedLikeBouncyCastle() throws Exception {
    TestSigner signer = TestSigner.generate();
    Random random = new Random(99);
    int accepted = 0;
    for (int i = 0; i < 4000; i++) {
      byte[] der = signer.sign(("m" + i).getBytes()).der();
      assertSameAsBouncyCastle(der);
      byte[] mutated;
      switch (i % 6) {
        case 0 -> { // flip one bit, anywhere (lengths, tags, values)
          mutated = der.clone();
          mutated[random.nextInt(mutated.length)] ^= (byte) (1 << random.nextInt(8));
        }
        case 1 -> mutated = Arrays.copyOf(der, random.nextInt(der.length + 2)); // truncate or extend
        case 2 -> { // a random byte replaced in the header part
          mutated = der.clone();
          mutated[random.nextInt(Math.min(6, mutated.length))] = (byte) random.nextInt(256);
        }
        case 3 -> mutated = rawDer(new BigInteger(random.nextInt(270) + 1, random).subtract(
            BigInteger.valueOf(random.nextInt(3))), new BigInteger(random.nextInt(270) + 1, random));
        case 4 -> { // small values, with and without leading zero bytes
          mutated = rawDer(BigInteger.valueOf(random.nextInt(300)), BigInteger.valueOf(random.nextInt(300)));
        }
        default -> {
          mutated = new byte[random.nextInt(12)];
          random.nextBytes(mutated);
          if (mutated.length > 1) {
            mutated[0] = 0x30;
            mutated[1] = (byte) (mutated.length - 2);
          }
        }
      }
      assertSameAsBouncyCastle(mutated);
      accepted += ours(mutated) != null ? 1 : 0;
    }
    assertThat(accepted).as("some mutations stay valid DER").isBetween(100, 3900);
  }

  /**
   * A digest that is not below n (e is then reduced mod n): not reached by chance (probability
   * about 2^-32 per digest), so signed on purpose with SunEC over such a digest.
   */
  @Test
  void digestsAboveNVerifyLikeSunEc() throws Exception {
    TestSigner signer = TestSigner.generate();
    P256Verifier verifier = P256Verifier.forKey(signer.publicKey());
    Random random = new Random(5);
    for (int i = 0; i < 20; i++) {
      byte[] digest = new byte[32];
      Arrays.fill(digest, (byte) 0xFF);
      if (i > 0) {
        // n ≤ e < 2^256: n's top 64 bits, then anything that keeps it at or above n
        BigInteger e = N.add(new BigInteger(200, random));
        byte[] bytes = org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, e);
        digest = bytes;
      }
      assertThat(new BigInteger(1, digest)).isGreaterThanOrEqualTo(N);
      Signature jca = Signature.getInstance("NONEwithECDSA");
      jca.initSign(signer.privateKey());
      jca.update(digest);
      byte[] der = jca.sign();
      jca.initVerify(signer.publicKey());
      jca.update(digest);
      assertThat(jca.verify(der)).isTrue();
      verifier.verifyDigest(digest, der); // throws if not accepted
      byte[] other = digest.clone();
      other[31] ^= 1;
      try {
        verifier.verifyDigest(other, der);
        throw new AssertionError("accepted a signature over another digest");
      } catch (SignatureException expected) {
        // refused, as it must be
      }
    }
  }

  @Test
  void theSameSignatureAcceptedOnEveryThreadAndEveryCall() throws Exception {
    TestSigner signer = TestSigner.generate();
    P256Verifier verifier = P256Verifier.forKey(signer.publicKey());
    byte[] message = "again".getBytes();
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(message);
    byte[] der = signer.sign(message).der();
    byte[] bad = der.clone();
    bad[bad.length - 1] ^= 1;
    for (int i = 0; i < 50; i++) { // scratch buffers are reused: a bad one must not poison a good one
      verifier.verifyDigest(digest, der);
      try {
        verifier.verifyDigest(digest, bad);
        throw new AssertionError("accepted an altered signature");
      } catch (SignatureException expected) {
        // refused
      }
    }
  }

  /** DER SEQUENCE of two INTEGERs, without range checks. */
  private static byte[] rawDer(BigInteger r, BigInteger s) throws Exception {
    return new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
        new org.bouncycastle.asn1.ASN1Integer(r), new org.bouncycastle.asn1.ASN1Integer(s)}).getEncoded();
  }
}

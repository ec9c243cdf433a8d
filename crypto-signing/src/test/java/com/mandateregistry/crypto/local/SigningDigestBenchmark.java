package com.mandateregistry.crypto.local;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.function.Supplier;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;

/**
 * Test-only benchmark (a main class, not a unit test): microseconds per ES256 signature as the
 * local signer makes it (Bouncy Castle's {@code ECDSASigner}, RFC 6979 nonces), with Bouncy
 * Castle's SHA-256 and with {@link JdkSha256Digest}, in interleaved rounds of about S seconds on
 * one thread; prints the median round of each and their ratio. See BENCHMARKS.md.
 *
 * <pre>
 * mvn -q -pl crypto-signing -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp crypto-signing/target/test-classes:crypto-signing/target/classes:$(cat /tmp/cp.txt) \
 *     com.mandateregistry.crypto.local.SigningDigestBenchmark [S] [R]
 * </pre>
 */
public final class SigningDigestBenchmark {

  private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
  private static final ECDomainParameters DOMAIN =
      new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(), P256.getH());

  private SigningDigestBenchmark() {}

  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    SecureRandom random = new SecureRandom();
    ECPrivateKeyParameters key =
        new ECPrivateKeyParameters(new BigInteger(255, random).add(BigInteger.ONE), DOMAIN);
    byte[] entry = new byte[700]; // about the size of a ledger entry's hashed bytes
    random.nextBytes(entry);
    long sink = 0;
    for (int i = 0; i < 20_000; i++) { // warm-up, both paths
      sink ^= sign(key, entry, SHA256Digest::new) ^ sign(key, entry, JdkSha256Digest::new);
    }
    double[] bouncyCastle = new double[rounds];
    double[] jdk = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      bouncyCastle[r] = microsPerSignature(key, entry, SHA256Digest::new, seconds);
      jdk[r] = microsPerSignature(key, entry, JdkSha256Digest::new, seconds);
    }
    Arrays.sort(bouncyCastle);
    Arrays.sort(jdk);
    double b = bouncyCastle[rounds / 2];
    double j = jdk[rounds / 2];
    System.out.printf(
        "java %s, %d cores; µs per signature, median of %d interleaved rounds of %.0f s:"
            + " Bouncy Castle SHA-256 %.1f, JDK SHA-256 %.1f, ratio %.3f (%d)%n",
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), rounds,
        seconds, b, j, j / b, sink & 1);
  }

  private static double microsPerSignature(
      ECPrivateKeyParameters key, byte[] data, Supplier<Digest> digests, double seconds) {
    long budget = (long) (seconds * 1e9);
    long start = System.nanoTime();
    long sink = 0;
    int n = 0;
    while (System.nanoTime() - start < budget) {
      sink ^= sign(key, data, digests);
      n++;
    }
    return (System.nanoTime() - start) / 1e3 / n + (sink == 42 ? 1e-9 : 0);
  }

  /** What {@code SigningKeyMaterial.sign} does, with the digest to use as a parameter. */
  private static long sign(ECPrivateKeyParameters key, byte[] data, Supplier<Digest> digests) {
    Digest sha256 = digests.get();
    byte[] digest = new byte[32];
    sha256.update(data, 0, data.length);
    sha256.doFinal(digest, 0);
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(digests.get()));
    signer.init(true, key);
    BigInteger[] rs = signer.generateSignature(digest);
    return rs[0].longValue() ^ rs[1].longValue();
  }
}

package com.mandateregistry.ledger.bench;

import com.mandateregistry.ledger.verify.FastTestSigner;
import com.mandateregistry.ledger.verify.P256Verifier;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.Random;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;

/**
 * Test-only benchmark (a main class, not a unit test): ES256 signature verifications per second on
 * one thread, SunEC ({@code NONEwithECDSA}, what {@code ledger verify --engine JCA} uses), Bouncy
 * Castle's generic {@code ECDSASigner} and {@link P256Verifier} (the default FAST engine), over the
 * same signatures. Also times building a key's comb table. Each engine runs R rounds of about S seconds after a warm-up; the median round
 * is printed. See docs/adr/0002-fast-offline-signature-verification.md.
 *
 * <pre>
 * java -cp … com.mandateregistry.ledger.bench.SignatureEngineBenchmark [S] [R]
 * </pre>
 */
public final class SignatureEngineBenchmark {

  private static final int SIGNATURES = 2000;

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    System.out.printf("java %s (%s), %d cores; one thread per engine%n", System.getProperty("java.version"),
        System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors());

    FastTestSigner signer = FastTestSigner.generate();
    Random random = new Random(1);
    byte[][] digests = new byte[SIGNATURES][];
    byte[][] signatures = new byte[SIGNATURES][];
    for (int i = 0; i < SIGNATURES; i++) {
      byte[] message = new byte[600];
      random.nextBytes(message);
      digests[i] = MessageDigest.getInstance("SHA-256").digest(message);
      signatures[i] = signer.sign(message).der();
    }

    long t0 = System.nanoTime();
    P256Verifier fast = P256Verifier.forKey(signer.publicKey());
    long t1 = System.nanoTime();
    fast.verifyDigest(digests[0], signatures[0]); // builds the generator's table on first use
    long t2 = System.nanoTime();
    System.out.printf("comb table of the key: %.2f s; of the generator (first verification): %.2f s%n",
        (t1 - t0) / 1e9, (t2 - t1) / 1e9);

    Signature jca = Signature.getInstance("NONEwithECDSA");
    System.out.println("SunEC provider: " + jca.getProvider());
    jca.initVerify(signer.publicKey());
    Engine sunEc = (digest, der) -> {
      jca.update(digest);
      if (!jca.verify(der)) {
        throw new SignatureException("does not verify");
      }
    };
    Engine p256 = fast::verifyDigest;
    X9ECParameters curve = CustomNamedCurves.getByName("secp256r1");
    ECDomainParameters domain = new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(), curve.getH());
    ECDSASigner bc = new ECDSASigner();
    bc.init(false, new ECPublicKeyParameters(curve.getCurve().createPoint(
        signer.publicKey().getW().getAffineX(), signer.publicKey().getW().getAffineY()), domain));
    Engine bouncyCastle = (digest, der) -> {
      BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(curve.getN(), der);
      if (!bc.verifySignature(digest, rs[0], rs[1])) {
        throw new SignatureException("does not verify");
      }
    };

    double jcaRate = measure("SunEC (JCA)", sunEc, digests, signatures, seconds, rounds);
    double bcRate = measure("Bouncy Castle ECDSASigner", bouncyCastle, digests, signatures, seconds, rounds);
    double fastRate = measure("P256Verifier (FAST)", p256, digests, signatures, seconds, rounds);
    System.out.printf("ratio FAST / JCA: %.1f; FAST / Bouncy Castle: %.1f%n", fastRate / jcaRate, fastRate / bcRate);
  }

  @FunctionalInterface
  private interface Engine {
    void verify(byte[] digest, byte[] der) throws Exception;
  }

  private static double measure(String name, Engine engine, byte[][] digests, byte[][] signatures,
      double seconds, int rounds) throws Exception {
    long warmUntil = System.nanoTime() + (long) (seconds * 1e9);
    for (int i = 0; System.nanoTime() < warmUntil; i = (i + 1) % digests.length) {
      engine.verify(digests[i], signatures[i]);
    }
    double[] rates = new double[rounds];
    for (int round = 0; round < rounds; round++) {
      long start = System.nanoTime();
      long until = start + (long) (seconds * 1e9);
      long count = 0;
      for (int i = 0; System.nanoTime() < until; i = (i + 1) % digests.length) {
        engine.verify(digests[i], signatures[i]);
        count++;
      }
      rates[round] = count / ((System.nanoTime() - start) / 1e9);
      System.out.printf("%s round %d: %,.0f verifications/s%n", name, round + 1, rates[round]);
    }
    Arrays.sort(rates);
    double median = rates[rounds / 2];
    System.out.printf("%s median: %,.0f verifications/s (%.3f ms each)%n", name, median, 1000 / median);
    return median;
  }
}

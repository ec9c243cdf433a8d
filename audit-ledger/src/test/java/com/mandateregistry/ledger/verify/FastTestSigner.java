package com.mandateregistry.ledger.verify;

import com.mandateregistry.crypto.KeyedSignature;
import com.mandateregistry.crypto.Signer;
import com.mandateregistry.ledger.format.LedgerKey;
import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.util.BigIntegers;

/**
 * Test-only helper: an ECDSA P-256 signer fast enough to sign a million benchmark entries (SunEC
 * signs ~1,500 a second per core). Textbook ECDSA with a random nonce, k·G from {@link
 * P256Verifier}'s generator table. Never use it outside tests: it is not constant-time.
 */
public final class FastTestSigner implements Signer {

  private static final BigInteger N = CustomNamedCurves.getByName("secp256r1").getN();
  private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

  private final ECPublicKey publicKey;
  private final BigInteger d;
  private final String keyId;

  private FastTestSigner(KeyPair pair) {
    this.publicKey = (ECPublicKey) pair.getPublic();
    this.d = ((ECPrivateKey) pair.getPrivate()).getS();
    this.keyId = LedgerKey.of(publicKey, null, null).keyId();
  }

  public static FastTestSigner generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return new FastTestSigner(generator.generateKeyPair());
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public ECPublicKey publicKey() {
    return publicKey;
  }

  @Override
  public String keyId() {
    return keyId;
  }

  @Override
  public KeyedSignature sign(byte[] data) {
    try {
      BigInteger e = new BigInteger(1, MessageDigest.getInstance("SHA-256").digest(data));
      while (true) {
        BigInteger k = BigIntegers.createRandomInRange(BigInteger.ONE, N.subtract(BigInteger.ONE), RANDOM.get());
        BigInteger r = P256Verifier.baseMultiplyX(k).mod(N);
        if (r.signum() == 0) {
          continue;
        }
        BigInteger s = BigIntegers.modOddInverseVar(N, k).multiply(e.add(r.multiply(d))).mod(N);
        if (s.signum() == 0) {
          continue;
        }
        return new KeyedSignature(keyId, "ES256", StandardDSAEncoding.INSTANCE.encode(N, r, s));
      }
    } catch (NoSuchAlgorithmException | IOException ex) {
      throw new IllegalStateException(ex);
    }
  }
}

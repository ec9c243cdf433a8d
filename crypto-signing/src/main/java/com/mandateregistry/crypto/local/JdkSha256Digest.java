package com.mandateregistry.crypto.local;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.crypto.ExtendedDigest;
import org.bouncycastle.util.Memoable;

/**
 * SHA-256 for Bouncy Castle's lightweight API, computed by the JDK's {@link MessageDigest}, which
 * HotSpot compiles to the processor's SHA instructions where it has them (Bouncy Castle's own
 * {@code SHA256Digest} is plain Java). The signer's RFC 6979 nonce derivation runs about two dozen
 * SHA-256 blocks per signature through it.
 *
 * <p>{@link Memoable}, so that Bouncy Castle's {@code HMac} keeps the keyed inner and outer states
 * instead of hashing the padded key again for every MAC.
 */
final class JdkSha256Digest implements ExtendedDigest, Memoable {

  private static final int DIGEST_SIZE = 32;
  private static final int BLOCK_SIZE = 64;

  private MessageDigest digest;

  JdkSha256Digest() {
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private JdkSha256Digest(MessageDigest state) {
    this.digest = state;
  }

  @Override
  public String getAlgorithmName() {
    return "SHA-256";
  }

  @Override
  public int getDigestSize() {
    return DIGEST_SIZE;
  }

  @Override
  public int getByteLength() {
    return BLOCK_SIZE;
  }

  @Override
  public void update(byte in) {
    digest.update(in);
  }

  @Override
  public void update(byte[] in, int offset, int length) {
    digest.update(in, offset, length);
  }

  @Override
  public int doFinal(byte[] out, int offset) {
    try {
      return digest.digest(out, offset, DIGEST_SIZE);
    } catch (DigestException e) {
      throw new IllegalArgumentException("no room for a SHA-256 digest at offset " + offset, e);
    }
  }

  @Override
  public void reset() {
    digest.reset();
  }

  @Override
  public Memoable copy() {
    return new JdkSha256Digest(cloneOf(digest));
  }

  @Override
  public void reset(Memoable other) {
    digest = cloneOf(((JdkSha256Digest) other).digest);
  }

  private static MessageDigest cloneOf(MessageDigest state) {
    try {
      return (MessageDigest) state.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
    }
  }
}

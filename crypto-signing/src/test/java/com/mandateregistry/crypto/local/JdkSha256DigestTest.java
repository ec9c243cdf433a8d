package com.mandateregistry.crypto.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/** The JDK-backed SHA-256 gives Bouncy Castle's own digest's and HMAC's bytes. */
class JdkSha256DigestTest {

  @Test
  void knownAnswer_fipsOneEightyTwo_abc() {
    assertThat(HexFormat.of().formatHex(digest(new JdkSha256Digest(), "abc".getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void digests_equalBouncyCastles_forEveryLengthAroundTheBlockSize_andAfterAReset() {
    Random random = new Random(6979);
    JdkSha256Digest reused = new JdkSha256Digest();
    for (int length = 0; length <= 200; length++) {
      byte[] data = new byte[length];
      random.nextBytes(data);
      byte[] expected = digest(new SHA256Digest(), data);
      assertThat(digest(new JdkSha256Digest(), data)).as("length %d", length).isEqualTo(expected);
      reused.update((byte) 1); // abandoned by the reset
      reused.reset();
      assertThat(digest(reused, data)).as("reused, length %d", length).isEqualTo(expected);
    }
  }

  @Test
  void hmac_keepsItsKeyedStatesAcrossMacs_likeBouncyCastlesDigest() {
    Random random = new Random(2104);
    for (int keyLength : new int[] {1, 32, 64, 65, 100}) {
      byte[] key = new byte[keyLength];
      random.nextBytes(key);
      HMac ours = new HMac(new JdkSha256Digest());
      HMac theirs = new HMac(new SHA256Digest());
      ours.init(new KeyParameter(key));
      theirs.init(new KeyParameter(key));
      for (int i = 0; i < 5; i++) { // several MACs under one key: the memoised states are reused
        byte[] message = new byte[random.nextInt(150)];
        random.nextBytes(message);
        assertThat(mac(ours, message)).as("key %d bytes, MAC %d", keyLength, i).isEqualTo(mac(theirs, message));
      }
    }
  }

  private static byte[] digest(Digest digest, byte[] data) {
    digest.update(data, 0, data.length);
    byte[] out = new byte[digest.getDigestSize()];
    digest.doFinal(out, 0);
    return out;
  }

  private static byte[] mac(HMac mac, byte[] message) {
    mac.update(message, 0, message.length);
    byte[] out = new byte[mac.getMacSize()];
    mac.doFinal(out, 0);
    return out;
  }
}

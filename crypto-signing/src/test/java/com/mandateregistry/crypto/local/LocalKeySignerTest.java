package com.mandateregistry.crypto.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.mandateregistry.crypto.KeyedSignature;
import com.mandateregistry.crypto.MutableClock;
import com.mandateregistry.crypto.PublicKeyInfo;
import com.mandateregistry.crypto.SignerContractTest;
import com.mandateregistry.crypto.SigningException;
import com.mandateregistry.crypto.SigningKeys;
import com.mandateregistry.crypto.UnknownKeyException;
import com.mandateregistry.crypto.VerificationKeys;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKeySignerTest extends SignerContractTest {

  private static final char[] PASSWORD = "test-keystore-password".toCharArray();
  private static final Instant START = Instant.parse("2026-01-15T10:00:00Z");

  @TempDir Path dataDir;
  private final MutableClock clock = new MutableClock(START);
  private final AtomicInteger instances = new AtomicInteger();

  @Override
  protected SigningKeys newSigningKeys() throws Exception {
    return LocalKeySigner.open(
        dataDir.resolve("node-" + instances.incrementAndGet()).resolve("keys/signing.p12"), PASSWORD, clock);
  }

  private Path keystore() {
    return dataDir.resolve("keys/signing.p12");
  }

  @Test
  void open_whenAbsent_createsKeystoreAndDirectories() throws Exception {
    LocalKeySigner signer = LocalKeySigner.open(keystore(), PASSWORD, clock);

    assertThat(keystore()).isRegularFile();
    assertThat(signer.keystoreFile()).isEqualTo(keystore().toAbsolutePath());
    assertThat(signer.publicKeys()).containsExactly(signer.currentKey());
    assertThat(signer.currentKey().notBefore()).isEqualTo(START);
    assertThat(signer.currentKey().retiredAt()).isNull();
  }

  @Test
  void open_onPosix_makesKeysDirectoryAndFileOwnerOnly() throws Exception {
    assumeTrue(KeystoreFiles.hasPosixPermissions(dataDir), "file system has no POSIX permissions");

    LocalKeySigner.open(keystore(), PASSWORD, clock);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keystore())))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keystore().getParent())))
        .isEqualTo("rwx------");
  }

  @Test
  void reopen_keepsTheSameKey() throws Exception {
    LocalKeySigner first = LocalKeySigner.open(keystore(), PASSWORD, clock);
    byte[] data = "survives restarts".getBytes(StandardCharsets.UTF_8);
    KeyedSignature signature = first.sign(data);

    clock.advance(Duration.ofDays(3));
    LocalKeySigner second = LocalKeySigner.open(keystore(), PASSWORD, clock);

    assertThat(second.keyId()).isEqualTo(first.keyId());
    assertThat(second.currentKey()).isEqualTo(first.currentKey());
    assertThat(second.currentKey().notBefore()).isEqualTo(START);
    second.verify(signature, data);
    first.verify(second.sign(data), data);
  }

  @Test
  void reopen_withWrongPassword_fails() throws Exception {
    LocalKeySigner.open(keystore(), PASSWORD, clock);

    assertThatThrownBy(() -> LocalKeySigner.open(keystore(), "wrong".toCharArray(), clock))
        .isInstanceOf(SigningException.class)
        .hasMessageContaining(keystore().toString())
        .hasCauseInstanceOf(java.io.IOException.class);
  }

  @Test
  void open_corruptFile_fails() throws Exception {
    Files.createDirectories(keystore().getParent());
    Files.write(keystore(), "not a keystore".getBytes(StandardCharsets.US_ASCII));

    assertThatThrownBy(() -> LocalKeySigner.open(keystore(), PASSWORD, clock))
        .isInstanceOf(SigningException.class)
        .hasCauseInstanceOf(java.io.IOException.class);
  }

  @Test
  void open_emptyPassword_isRejected() {
    assertThatThrownBy(() -> LocalKeySigner.open(keystore(), new char[0], clock))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rotate_makesNewCurrentKey_andOldSignaturesStillVerifyByKeyId() throws Exception {
    LocalKeySigner signer = LocalKeySigner.open(keystore(), PASSWORD, clock);
    byte[] data = "signed before rotation".getBytes(StandardCharsets.UTF_8);
    KeyedSignature before = signer.sign(data);
    PublicKeyInfo oldKey = signer.currentKey();

    clock.advance(Duration.ofDays(90));
    PublicKeyInfo newKey = signer.rotate();
    KeyedSignature after = signer.sign(data);

    assertThat(newKey.keyId()).isNotEqualTo(oldKey.keyId());
    assertThat(signer.keyId()).isEqualTo(newKey.keyId());
    assertThat(after.keyId()).isEqualTo(newKey.keyId());
    assertThat(newKey.notBefore()).isEqualTo(START.plus(Duration.ofDays(90)));
    assertThat(signer.publicKeys())
        .containsExactly(newKey, oldKey.retire(START.plus(Duration.ofDays(90))));
    signer.verify(before, data);
    signer.verify(after, data);
    assertThatThrownBy(() -> signer.verifier(newKey.keyId()).verify(before.der(), data))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void rotate_twice_thenReopen_listsAllKeysWithTheirPeriods() throws Exception {
    LocalKeySigner signer = LocalKeySigner.open(keystore(), PASSWORD, clock);
    String first = signer.keyId();
    clock.advance(Duration.ofDays(30));
    String second = signer.rotate().keyId();
    clock.advance(Duration.ofDays(30));
    String third = signer.rotate().keyId();

    LocalKeySigner reopened = LocalKeySigner.open(keystore(), PASSWORD, clock);

    assertThat(reopened.keyId()).isEqualTo(third);
    assertThat(reopened.publicKeys()).isEqualTo(signer.publicKeys());
    assertThat(reopened.publicKeys()).extracting(PublicKeyInfo::keyId).containsExactly(third, second, first);
    assertThat(reopened.publicKey(first).notBefore()).isEqualTo(START);
    assertThat(reopened.publicKey(first).retiredAt()).isEqualTo(START.plus(Duration.ofDays(30)));
    assertThat(reopened.publicKey(second).notBefore()).isEqualTo(START.plus(Duration.ofDays(30)));
    assertThat(reopened.publicKey(second).retiredAt()).isEqualTo(START.plus(Duration.ofDays(60)));
    assertThat(reopened.publicKey(third).retiredAt()).isNull();
  }

  @Test
  void rotate_deletesTheRetiredPrivateKeyFromTheKeystore() throws Exception {
    LocalKeySigner signer = LocalKeySigner.open(keystore(), PASSWORD, clock);
    clock.advance(Duration.ofHours(1));
    signer.rotate();

    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore())) {
      keyStore.load(in, PASSWORD);
    }
    long privateEntries = Collections.list(keyStore.aliases()).stream()
        .filter(alias -> isKeyEntry(keyStore, alias)).count();
    assertThat(keyStore.size()).isEqualTo(2);
    assertThat(privateEntries).isEqualTo(1);
  }

  @Test
  void rotate_byAnotherInstance_isPickedUpOnReopen_andRotationStartsFromTheFile() throws Exception {
    LocalKeySigner a = LocalKeySigner.open(keystore(), PASSWORD, clock);
    LocalKeySigner b = LocalKeySigner.open(keystore(), PASSWORD, clock);
    clock.advance(Duration.ofMinutes(5));
    String rotatedByA = a.rotate().keyId();
    clock.advance(Duration.ofMinutes(5));

    String rotatedByB = b.rotate().keyId();

    VerificationKeys onDisk = LocalKeySigner.open(keystore(), PASSWORD, clock);
    assertThat(onDisk.publicKeys()).hasSize(3);
    assertThat(onDisk.publicKey(rotatedByA).isRetired()).isTrue();
    assertThat(onDisk.publicKeys().get(0).keyId()).isEqualTo(rotatedByB);
  }

  @Test
  void unknownKeyId_throwsUnknownKeyException() throws Exception {
    LocalKeySigner signer = LocalKeySigner.open(keystore(), PASSWORD, clock);
    KeyedSignature foreign = new KeyedSignature("AAAA", "ES256", signer.sign(new byte[] {1}).der());

    assertThatThrownBy(() -> signer.verify(foreign, new byte[] {1}))
        .isInstanceOf(UnknownKeyException.class)
        .hasMessageContaining("'AAAA'");
  }

  @Test
  void toString_showsNeitherPasswordNorKeyMaterial() throws Exception {
    LocalKeySigner signer = LocalKeySigner.open(keystore(), PASSWORD, clock);

    assertThat(signer.toString())
        .contains(signer.keyId())
        .doesNotContain(new String(PASSWORD));
    assertThat(new SigningKeyMaterial(freshPrivateKey()).toString()).isEqualTo("SigningKeyMaterial[redacted]");
  }

  @Test
  void developmentPassword_works_andIsACopy() throws Exception {
    char[] password = LocalKeySigner.developmentPassword();
    LocalKeySigner signer = LocalKeySigner.open(keystore(), password, clock);
    java.util.Arrays.fill(password, 'x');

    clock.advance(Duration.ofSeconds(1));
    signer.rotate();

    assertThat(LocalKeySigner.open(keystore(), LocalKeySigner.developmentPassword(), clock).keyId())
        .isEqualTo(signer.keyId());
  }

  private static boolean isKeyEntry(KeyStore keyStore, String alias) {
    try {
      return keyStore.isKeyEntry(alias);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static java.security.PrivateKey freshPrivateKey() throws GeneralSecurityException {
    java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
    generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair().getPrivate();
  }
}

package com.mandateregistry.crypto.local;

import com.mandateregistry.crypto.EcdsaVerifier;
import com.mandateregistry.crypto.KeyIds;
import com.mandateregistry.crypto.KeyedSignature;
import com.mandateregistry.crypto.PublicKeyInfo;
import com.mandateregistry.crypto.Signatures;
import com.mandateregistry.crypto.Signer;
import com.mandateregistry.crypto.SigningException;
import com.mandateregistry.crypto.SigningKeys;
import com.mandateregistry.crypto.VerificationKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A signer whose ECDSA P-256 keys live in a PKCS12 keystore file, for development and single-node
 * installations; production uses {@code kms.KmsSigner}.
 *
 * <p><b>File.</b> {@link #open} creates the keystore with one new key if the file is absent (missing
 * directories are created; directory and file are owner-only where the file system has POSIX
 * permissions), and otherwise loads it, so the key and its id survive restarts. Every change writes
 * a new file and moves it into place atomically, under a lock on {@code <file>.lock} that other
 * threads and processes on the same file system respect.
 *
 * <p><b>Layout.</b> One entry per key, alias {@code es256-<hex of the key id's bytes>}:
 *
 * <ul>
 *   <li>the current key: a private key entry whose self-signed certificate is valid from the key's
 *       {@code notBefore} to 9999-12-31T23:59:59Z;
 *   <li>each retired key: a trusted certificate entry only (its private key is deleted on
 *       rotation), a self-signed certificate valid from {@code notBefore} to {@code retiredAt}.
 * </ul>
 *
 * The certificate validity is the only metadata, so {@code keytool -list -v} shows everything.
 *
 * <p><b>Key id.</b> The RFC 7638 thumbprint of the public key ({@link KeyIds}).
 *
 * <p><b>Rotation.</b> {@link #rotate()} makes a new current key and retires the previous one at the
 * clock's time; {@link #publicKeys()} lists both, so signatures of the old key still verify by key
 * id. The signer always signs with the current key. Another process that has the same file open
 * sees a rotation only when it reopens the file.
 *
 * <p><b>Password.</b> Supplied by the caller and kept in memory for later writes.
 * {@link #developmentPassword()} exists for the embedded development stack only; a keystore
 * protected by it is protected by a published string.
 *
 * <p>Thread-safe.
 */
public final class LocalKeySigner implements Signer, SigningKeys {

  private static final Logger log = LoggerFactory.getLogger(LocalKeySigner.class);

  private static final String KEYSTORE_TYPE = "PKCS12";
  private static final String ALIAS_PREFIX = "es256-";
  private static final Instant OPEN_ENDED = Instant.parse("9999-12-31T23:59:59Z");
  private static final byte[] SELF_TEST_DATA =
      "mandate-registry local key self-test".getBytes(StandardCharsets.US_ASCII);
  private static final String DEVELOPMENT_PASSWORD = "mandate-registry-development-only";

  private final Path file;
  private final char[] password;
  private final Clock clock;
  private volatile State state;

  /** The current key with its private key, and every published key. */
  private record State(PublicKeyInfo current, SigningKeyMaterial material, List<PublicKeyInfo> published) {}

  private LocalKeySigner(Path file, char[] password, Clock clock) {
    this.file = file;
    this.password = password;
    this.clock = clock;
  }

  /**
   * The built-in keystore password of the embedded development stack. For development only: it is
   * in the source code, so it protects nothing. Returns a fresh copy.
   */
  public static char[] developmentPassword() {
    return DEVELOPMENT_PASSWORD.toCharArray();
  }

  /**
   * Opens the keystore at {@code keystoreFile}, creating it with a new key if it does not exist.
   *
   * @param keystoreFile for example {@code <dataDir>/keys/signing.p12}
   * @param password the keystore password, not empty; copied, so the caller may clear its array
   * @param clock gives {@code notBefore} of new keys and {@code retiredAt} of retired ones
   * @throws SigningException if the file cannot be read or written, the password is wrong, or the
   *     keystore does not hold exactly one usable current ES256 key
   */
  public static LocalKeySigner open(Path keystoreFile, char[] password, Clock clock)
      throws SigningException {
    Objects.requireNonNull(keystoreFile, "keystoreFile");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(clock, "clock");
    if (password.length == 0) {
      throw new IllegalArgumentException("the keystore password must not be empty");
    }
    LocalKeySigner signer =
        new LocalKeySigner(keystoreFile.toAbsolutePath().normalize(), password.clone(), clock);
    if (Arrays.equals(password, DEVELOPMENT_PASSWORD.toCharArray())) {
      log.warn(
          "Signing keystore {} uses the built-in development password; set a real password outside development",
          signer.file);
    }
    signer.locked(
        () -> {
          if (Files.exists(signer.file)) {
            signer.state = signer.read(signer.load());
            log.info("Loaded signing keystore {}, current key id {}", signer.file, signer.keyId());
          } else {
            KeyStore keyStore = KeyStore.getInstance(KEYSTORE_TYPE);
            keyStore.load(null, null);
            signer.addNewCurrentKey(keyStore, signer.now());
            signer.save(keyStore);
            signer.state = signer.read(keyStore);
            log.info("Created signing keystore {}, new key id {}", signer.file, signer.keyId());
          }
          return null;
        });
    return signer;
  }

  @Override
  public KeyedSignature sign(byte[] data) throws SigningException {
    Objects.requireNonNull(data, "data");
    State current = state;
    return new KeyedSignature(current.current().keyId(), Signatures.ES256, current.material().sign(data));
  }

  /** The id of the current key; it changes on {@link #rotate()}. */
  @Override
  public String keyId() {
    return state.current().keyId();
  }

  /** The current key. */
  public PublicKeyInfo currentKey() {
    return state.current();
  }

  /** This signer: it always signs with the current key, also after a rotation. */
  @Override
  public Signer currentSigner() {
    return this;
  }

  @Override
  public List<PublicKeyInfo> publicKeys() {
    return state.published();
  }

  /** The keystore file. */
  public Path keystoreFile() {
    return file;
  }

  /**
   * Makes a new current key and retires the current one at the clock's time (or at its {@code
   * notBefore}, if the clock is behind it). The retired key's private key is deleted from the
   * keystore; its public key stays published. Works on the file's content as it is on disk, under
   * the file lock.
   *
   * @return the new current key
   * @throws SigningException if the keystore cannot be read or written; it is then unchanged
   */
  public PublicKeyInfo rotate() throws SigningException {
    return locked(
        () -> {
          KeyStore keyStore = load();
          State onDisk = read(keyStore);
          Instant now = now();
          PublicKeyInfo old = onDisk.current();
          Instant retiredAt = now.isBefore(old.notBefore()) ? old.notBefore() : now;
          X509Certificate retiredCertificate =
              onDisk.material()
                  .selfSignedCertificate(old.publicKey(), old.keyId(), old.notBefore(), retiredAt);
          String oldAlias = alias(old.keyId());
          keyStore.deleteEntry(oldAlias);
          keyStore.setCertificateEntry(oldAlias, retiredCertificate);
          addNewCurrentKey(keyStore, now);
          save(keyStore);
          state = read(keyStore);
          log.info(
              "Rotated signing keystore {}: key id {} retired, new key id {}",
              file, old.keyId(), keyId());
          return state.current();
        });
  }

  private void addNewCurrentKey(KeyStore keyStore, Instant notBefore) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    String keyId = KeyIds.thumbprint(pair.getPublic());
    SigningKeyMaterial material = new SigningKeyMaterial(pair.getPrivate());
    X509Certificate certificate =
        material.selfSignedCertificate(pair.getPublic(), keyId, notBefore, OPEN_ENDED);
    material.storeIn(keyStore, alias(keyId), password, certificate);
  }

  private KeyStore load() throws IOException, GeneralSecurityException {
    KeyStore keyStore = KeyStore.getInstance(KEYSTORE_TYPE);
    try (InputStream in = Files.newInputStream(file)) {
      keyStore.load(in, password);
    }
    return keyStore;
  }

  private void save(KeyStore keyStore) throws IOException, GeneralSecurityException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    keyStore.store(out, password);
    KeystoreFiles.writeAtomically(file, out.toByteArray());
  }

  /** Reads and checks every entry: exactly one current key, whose private key signs for its public key. */
  private State read(KeyStore keyStore) throws GeneralSecurityException {
    PublicKeyInfo current = null;
    SigningKeyMaterial material = null;
    List<PublicKeyInfo> published = new ArrayList<>();
    for (String alias : Collections.list(keyStore.aliases())) {
      Certificate certificate = keyStore.getCertificate(alias);
      if (!(certificate instanceof X509Certificate x509)) {
        throw new GeneralSecurityException("keystore entry " + alias + " has no X.509 certificate");
      }
      x509.verify(x509.getPublicKey());
      Instant notBefore = x509.getNotBefore().toInstant();
      if (keyStore.isKeyEntry(alias)) {
        if (current != null) {
          throw new GeneralSecurityException("keystore holds more than one private key");
        }
        current = PublicKeyInfo.current(x509.getPublicKey(), notBefore);
        material = new SigningKeyMaterial((PrivateKey) keyStore.getKey(alias, password));
        new EcdsaVerifier(current.publicKey()).verify(material.sign(SELF_TEST_DATA), SELF_TEST_DATA);
        published.add(current);
      } else {
        published.add(
            PublicKeyInfo.current(x509.getPublicKey(), notBefore)
                .retire(x509.getNotAfter().toInstant()));
      }
      String keyId = published.get(published.size() - 1).keyId();
      if (!alias.equals(alias(keyId))) {
        throw new GeneralSecurityException("keystore alias " + alias + " does not match key id " + keyId);
      }
    }
    if (current == null) {
      throw new GeneralSecurityException("keystore holds no current signing key");
    }
    return new State(current, material, VerificationKeys.of(published).publicKeys());
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }

  private static String alias(String keyId) {
    return ALIAS_PREFIX + HexFormat.of().formatHex(Base64.getUrlDecoder().decode(keyId));
  }

  private <T> T locked(KeystoreFiles.Action<T> action) throws SigningException {
    try {
      return KeystoreFiles.withLock(file, action);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new SigningException("signing keystore " + file + " is unusable: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    State current = state;
    return "LocalKeySigner[file=" + file + ", keyId=" + (current == null ? null : current.current().keyId()) + "]";
  }
}

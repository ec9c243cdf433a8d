package com.mandateregistry.crypto.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * File handling for the keystore: owner-only permissions where the file system has POSIX
 * permissions, atomic replacement, and a lock that serialises changes across threads and processes.
 */
final class KeystoreFiles {

  private static final Set<PosixFilePermission> OWNER_DIRECTORY =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_FILE =
      PosixFilePermissions.fromString("rw-------");

  /** One monitor per keystore path: a JVM may not take two FileLocks on one file. */
  private static final ConcurrentMap<Path, Object> MONITORS = new ConcurrentHashMap<>();

  private KeystoreFiles() {}

  /** Work done while holding the keystore's lock. */
  @FunctionalInterface
  interface Action<T> {
    T run() throws IOException, GeneralSecurityException;
  }

  /**
   * Runs {@code action} holding a lock on {@code <keystore>.lock}, exclusive within this JVM and,
   * through {@link FileChannel#lock()}, towards other processes on the same file system.
   */
  static <T> T withLock(Path keystore, Action<T> action) throws IOException, GeneralSecurityException {
    Path key = keystore.toAbsolutePath().normalize();
    Object monitor = MONITORS.computeIfAbsent(key, k -> new Object());
    synchronized (monitor) {
      createPrivateDirectories(key.getParent());
      Path lockFile = key.resolveSibling(key.getFileName() + ".lock");
      try (FileChannel channel =
              FileChannel.open(
                  lockFile,
                  Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                  ownerOnly(lockFile.getParent(), OWNER_FILE));
          FileLock lock = channel.lock()) {
        return action.run();
      }
    }
  }

  /** Creates {@code dir} and missing parents, owner-only where POSIX permissions exist. */
  static void createPrivateDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path existing = dir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    Files.createDirectories(dir, ownerOnly(existing == null ? dir : existing, OWNER_DIRECTORY));
  }

  /**
   * Replaces {@code file} with {@code content}: written to an owner-only temporary file in the same
   * directory, flushed to disk, then moved over {@code file} atomically where supported.
   */
  static void writeAtomically(Path file, byte[] content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path temp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp", ownerOnly(dir, OWNER_FILE));
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.write(java.nio.ByteBuffer.wrap(content));
        channel.force(true);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Whether files under {@code path} have POSIX permissions. */
  static boolean hasPosixPermissions(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static FileAttribute<?>[] ownerOnly(Path where, Set<PosixFilePermission> permissions) {
    return hasPosixPermissions(where)
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
        : new FileAttribute<?>[0];
  }
}

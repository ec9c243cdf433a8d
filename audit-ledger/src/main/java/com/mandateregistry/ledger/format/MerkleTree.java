package com.mandateregistry.ledger.format;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Merkle tree of RFC 9162 (Certificate Transparency 2.0) section 2.1 over SHA-256, which a
 * batch-signed ledger entry ({@link LedgerFormat#SIGNING_ALGORITHM_MERKLE}) uses: the leaves are
 * the 32-byte event hashes of one append batch, in append order.
 *
 * <pre>
 *   leaf hash  = SHA-256(0x00 || leaf)
 *   node hash  = SHA-256(0x01 || left || right)
 *   MTH({d0})  = leaf hash of d0
 *   MTH(D[n])  = node hash of MTH(D[0:k]) and MTH(D[k:n]), k the largest power of two below n
 * </pre>
 *
 * {@link #root} and {@link #path} follow the RFC's recursive definitions (2.1.1 and 2.1.3.1);
 * {@link #rootFromPath} is the RFC's iterative verification algorithm (2.1.3.2), written
 * independently of them, so the tests of one check the other.
 */
public final class MerkleTree {

  /** Bytes of a SHA-256 hash: every leaf, node and path element. */
  public static final int HASH_BYTES = 32;

  private MerkleTree() {}

  /**
   * The root of the tree over {@code leaves} (each the raw data of a leaf, here an event hash).
   *
   * @throws IllegalArgumentException if there are no leaves
   */
  public static byte[] root(List<byte[]> leaves) {
    if (leaves.isEmpty()) {
      throw new IllegalArgumentException("a batch tree has at least one leaf");
    }
    MessageDigest sha256 = sha256();
    byte[][] hashes = leafHashes(sha256, leaves);
    return subtreeRoot(sha256, hashes, 0, hashes.length);
  }

  /**
   * The inclusion path of leaf {@code index}: the sibling hashes from the leaf's level up to the
   * root's children (RFC 9162 2.1.3.1 PATH(m, D[n])).
   *
   * @throws IllegalArgumentException if {@code index} is not a leaf of the tree
   */
  public static List<byte[]> path(int index, List<byte[]> leaves) {
    if (index < 0 || index >= leaves.size()) {
      throw new IllegalArgumentException("leaf " + index + " of a tree of " + leaves.size());
    }
    MessageDigest sha256 = sha256();
    byte[][] hashes = leafHashes(sha256, leaves);
    List<byte[]> path = new ArrayList<>();
    collectPath(sha256, hashes, index, 0, hashes.length, path);
    return path;
  }

  /**
   * A whole tree at once: its root and every leaf's inclusion path, leaf-first.
   *
   * @param root {@link #root} of the leaves
   * @param paths {@link #path} of each leaf, index by index
   */
  public record Tree(byte[] root, List<List<byte[]>> paths) {}

  /**
   * The root and every leaf's path in one pass over the tree ({@link #root} and {@link #path} for
   * each index would hash the tree once per leaf).
   *
   * @throws IllegalArgumentException if there are no leaves
   */
  public static Tree build(List<byte[]> leaves) {
    if (leaves.isEmpty()) {
      throw new IllegalArgumentException("a batch tree has at least one leaf");
    }
    MessageDigest sha256 = sha256();
    byte[][] hashes = leafHashes(sha256, leaves);
    List<List<byte[]>> paths = new ArrayList<>(hashes.length);
    for (int i = 0; i < hashes.length; i++) {
      paths.add(new ArrayList<>());
    }
    byte[] root = fillPaths(sha256, hashes, 0, hashes.length, paths);
    return new Tree(root, paths);
  }

  /**
   * The root that {@code path} leads to from {@code leaf} at {@code index} of a tree of {@code
   * size} leaves (RFC 9162 2.1.3.2), or null if the path cannot belong to such a tree (index out of
   * range, or too few or too many path elements).
   */
  public static byte[] rootFromPath(byte[] leaf, long index, long size, List<byte[]> path) {
    Objects.requireNonNull(leaf, "leaf");
    if (index < 0 || size < 1 || index >= size) {
      return null;
    }
    MessageDigest sha256 = sha256();
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash(sha256, leaf);
    for (byte[] p : path) {
      if (p == null || p.length != HASH_BYTES || sn == 0) {
        return null;
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = nodeHash(sha256, p, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        r = nodeHash(sha256, r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 ? r : null;
  }

  /** SHA-256(0x00 || leaf). */
  public static byte[] leafHash(byte[] leaf) {
    return leafHash(sha256(), leaf);
  }

  /** SHA-256(0x01 || left || right). */
  public static byte[] nodeHash(byte[] left, byte[] right) {
    return nodeHash(sha256(), left, right);
  }

  private static byte[] subtreeRoot(MessageDigest sha256, byte[][] hashes, int from, int to) {
    int n = to - from;
    if (n == 1) {
      return hashes[from];
    }
    int k = largestPowerOfTwoBelow(n);
    return nodeHash(
        sha256, subtreeRoot(sha256, hashes, from, from + k), subtreeRoot(sha256, hashes, from + k, to));
  }

  /** PATH(m, D[from:to]), appended to {@code out} leaf-first. */
  private static void collectPath(
      MessageDigest sha256, byte[][] hashes, int m, int from, int to, List<byte[]> out) {
    int n = to - from;
    if (n == 1) {
      return;
    }
    int k = largestPowerOfTwoBelow(n);
    if (m < k) {
      collectPath(sha256, hashes, m, from, from + k, out);
      out.add(subtreeRoot(sha256, hashes, from + k, to));
    } else {
      collectPath(sha256, hashes, m - k, from + k, to, out);
      out.add(subtreeRoot(sha256, hashes, from, from + k));
    }
  }

  /**
   * Returns MTH(D[from:to]) and appends, to the path of every leaf in the range, its sibling at
   * this level. The subtrees are done first, so each path receives its elements leaf-first.
   */
  private static byte[] fillPaths(
      MessageDigest sha256, byte[][] hashes, int from, int to, List<List<byte[]>> paths) {
    int n = to - from;
    if (n == 1) {
      return hashes[from];
    }
    int mid = from + largestPowerOfTwoBelow(n);
    byte[] left = fillPaths(sha256, hashes, from, mid, paths);
    byte[] right = fillPaths(sha256, hashes, mid, to, paths);
    for (int i = from; i < to; i++) {
      paths.get(i).add(i < mid ? right : left);
    }
    return nodeHash(sha256, left, right);
  }

  private static byte[][] leafHashes(MessageDigest sha256, List<byte[]> leaves) {
    byte[][] hashes = new byte[leaves.size()][];
    for (int i = 0; i < hashes.length; i++) {
      hashes[i] = leafHash(sha256, leaves.get(i));
    }
    return hashes;
  }

  private static int largestPowerOfTwoBelow(int n) {
    return Integer.highestOneBit(n - 1);
  }

  private static byte[] leafHash(MessageDigest sha256, byte[] leaf) {
    sha256.update((byte) 0x00);
    return sha256.digest(leaf);
  }

  private static byte[] nodeHash(MessageDigest sha256, byte[] left, byte[] right) {
    sha256.update((byte) 0x01);
    sha256.update(left);
    return sha256.digest(right);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

}

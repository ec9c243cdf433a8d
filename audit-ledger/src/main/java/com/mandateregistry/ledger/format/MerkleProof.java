package com.mandateregistry.ledger.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The {@code merkle_proof} member of a batch-signed entry ({@link
 * LedgerFormat#SIGNING_ALGORITHM_MERKLE}): where the entry's event hash sits in its batch's {@link
 * MerkleTree}, and the sibling hashes that lead from it to the root the batch signature covers.
 *
 * <pre>
 *   {"leaf_index": 3, "tree_size": 7, "path": ["&lt;64 hex&gt;", …]}
 * </pre>
 *
 * @param leafIndex the entry's position in the batch, from 0
 * @param treeSize the number of entries in the batch (of every tenant), at least 1
 * @param path RFC 9162 inclusion path, leaf-first, each element 64 lowercase hex digits
 */
public record MerkleProof(long leafIndex, long treeSize, List<String> path) {

  /** The members of the JSON object, exactly. */
  public static final Set<String> MEMBERS = Set.of("leaf_index", "tree_size", "path");

  /** More path elements than any tree of up to 2^63 leaves needs. */
  public static final int MAX_PATH = 63;

  public MerkleProof {
    if (treeSize < 1 || leafIndex < 0 || leafIndex >= treeSize) {
      throw new IllegalArgumentException(
          "leaf_index " + leafIndex + " is not a leaf of a tree of " + treeSize);
    }
    path = List.copyOf(path);
    if (path.size() > MAX_PATH) {
      throw new IllegalArgumentException("path has " + path.size() + " elements");
    }
    for (String element : path) {
      if (!LedgerFormat.isHash(element)) {
        throw new IllegalArgumentException("path element is not 64 lowercase hex characters");
      }
    }
  }

  /** The proof of leaf {@code index} with the given path. */
  public static MerkleProof of(long index, long size, List<byte[]> path) {
    return new MerkleProof(index, size, path.stream().map(LedgerFormat::hex).toList());
  }

  /** The path elements as bytes. */
  public List<byte[]> pathBytes() {
    return path.stream().map(LedgerFormat::unhex).toList();
  }

  /** The path as one byte string, 32 bytes per element (how it is stored). */
  public byte[] packedPath() {
    byte[] packed = new byte[path.size() * MerkleTree.HASH_BYTES];
    for (int i = 0; i < path.size(); i++) {
      System.arraycopy(LedgerFormat.unhex(path.get(i)), 0, packed, i * MerkleTree.HASH_BYTES,
          MerkleTree.HASH_BYTES);
    }
    return packed;
  }

  /**
   * The proof from its stored form.
   *
   * @throws IllegalArgumentException if {@code packedPath} is not a whole number of hashes or the
   *     proof is invalid
   */
  public static MerkleProof unpack(long index, long size, byte[] packedPath) {
    if (packedPath.length % MerkleTree.HASH_BYTES != 0) {
      throw new IllegalArgumentException("stored path is not a whole number of 32-byte hashes");
    }
    return new MerkleProof(index, size, hexElements(packedPath));
  }

  /**
   * The stored path as hex elements, 32 bytes each, without judging it (a trailing partial
   * element is left out).
   */
  public static List<String> hexElements(byte[] packedPath) {
    List<String> path = new ArrayList<>();
    for (int i = 0; i + MerkleTree.HASH_BYTES <= packedPath.length; i += MerkleTree.HASH_BYTES) {
      path.add(LedgerFormat.hex(java.util.Arrays.copyOfRange(packedPath, i, i + MerkleTree.HASH_BYTES)));
    }
    return path;
  }

  /** The root this proof leads to from {@code eventHash} (hex), or null if it leads nowhere. */
  public byte[] root(String eventHash) {
    return MerkleTree.rootFromPath(LedgerFormat.unhex(eventHash), leafIndex, treeSize, pathBytes());
  }

  /** The JSON object, members in the order {@code leaf_index, tree_size, path}. */
  public ObjectNode toObject() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("leaf_index", leafIndex);
    node.put("tree_size", treeSize);
    ArrayNode array = node.putArray("path");
    path.forEach(array::add);
    return node;
  }

  /**
   * Reads the JSON object strictly: exactly the three members, non-negative integers, an array of
   * hashes.
   *
   * @throws MalformedEntryException otherwise
   */
  public static MerkleProof fromObject(JsonNode node) throws MalformedEntryException {
    if (node == null || !node.isObject()) {
      throw new MalformedEntryException("merkle_proof is not a JSON object");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!MEMBERS.contains(name)) {
        throw new MalformedEntryException("unknown member \"" + name + "\" in merkle_proof");
      }
    }
    JsonNode index = node.get("leaf_index");
    JsonNode size = node.get("tree_size");
    JsonNode path = node.get("path");
    if (!isCount(index) || !isCount(size)) {
      throw new MalformedEntryException(
          "merkle_proof needs integer leaf_index and tree_size, found " + index + " and " + size);
    }
    if (path == null || !path.isArray() || path.size() > MAX_PATH) {
      throw new MalformedEntryException("merkle_proof.path is not an array of at most " + MAX_PATH + " hashes");
    }
    List<String> elements = new ArrayList<>(path.size());
    for (JsonNode element : path) {
      if (!element.isTextual() || !LedgerFormat.isHash(element.asText())) {
        throw new MalformedEntryException("merkle_proof.path element is not 64 lowercase hex characters: " + element);
      }
      elements.add(element.asText());
    }
    try {
      return new MerkleProof(index.asLong(), size.asLong(), elements);
    } catch (IllegalArgumentException e) {
      throw new MalformedEntryException("merkle_proof: " + e.getMessage(), e);
    }
  }

  private static boolean isCount(JsonNode value) {
    return value != null && value.isIntegralNumber() && value.canConvertToLong() && value.asLong() >= 0;
  }
}

package com.mandateregistry.ledger.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {

  /** Leaves d0, d1, … : 32 bytes each, like the event hashes the ledger puts in a tree. */
  private static List<byte[]> leaves(int n) {
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      leaves.add(LedgerFormat.sha256(("leaf " + i).getBytes(StandardCharsets.US_ASCII)));
    }
    return leaves;
  }

  private static byte[] h(int prefix, byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(prefix);
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return LedgerFormat.sha256(out.toByteArray());
  }

  @Test
  void smallTrees_haveTheShapeOfRfc9162_writtenOutByHand() {
    List<byte[]> d = leaves(5);
    byte[] l0 = h(0, d.get(0));
    byte[] l1 = h(0, d.get(1));
    byte[] l2 = h(0, d.get(2));
    byte[] l3 = h(0, d.get(3));
    byte[] l4 = h(0, d.get(4));

    assertThat(MerkleTree.root(d.subList(0, 1))).isEqualTo(l0);
    assertThat(MerkleTree.root(d.subList(0, 2))).isEqualTo(h(1, l0, l1));
    // three leaves: k = 2, so the third leaf is the right child of the root itself
    assertThat(MerkleTree.root(d.subList(0, 3))).isEqualTo(h(1, h(1, l0, l1), l2));
    byte[] left4 = h(1, h(1, l0, l1), h(1, l2, l3));
    assertThat(MerkleTree.root(d.subList(0, 4))).isEqualTo(left4);
    assertThat(MerkleTree.root(d)).isEqualTo(h(1, left4, l4));

    // the path of leaf 2 in the tree of five: l3, then h(l0, l1), then l4
    assertThat(MerkleTree.path(2, d)).containsExactly(l3, h(1, l0, l1), l4);
    // the last leaf of five hangs directly below the root: one element
    assertThat(MerkleTree.path(4, d)).containsExactly(left4);
    assertThat(MerkleTree.path(0, d.subList(0, 1))).isEmpty();
  }

  @Test
  void theLeafHashOfAnEmptyLeaf_isTheKnownSha256OfOneZeroByte() {
    assertThat(LedgerFormat.hex(MerkleTree.leafHash(new byte[0])))
        .isEqualTo("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  }

  @Test
  void everyPath_ofEveryTreeUpTo70Leaves_leadsToTheRoot_andBuildAgreesWithRootAndPath() {
    for (int n = 1; n <= 70; n++) {
      List<byte[]> d = leaves(n);
      byte[] root = MerkleTree.root(d);
      MerkleTree.Tree tree = MerkleTree.build(d);
      assertThat(tree.root()).as("tree %d", n).isEqualTo(root);
      List<List<byte[]>> all = tree.paths();
      assertThat(all).hasSize(n);
      for (int m = 0; m < n; m++) {
        List<byte[]> path = MerkleTree.path(m, d);
        assertThat(all.get(m)).as("tree %d leaf %d", n, m).containsExactlyElementsOf(path);
        assertThat(MerkleTree.rootFromPath(d.get(m), m, n, path)).as("tree %d leaf %d", n, m).isEqualTo(root);
      }
    }
  }

  @Test
  void aPath_leadsNowhereElse_whenAnythingAboutItIsChanged() {
    List<byte[]> d = leaves(13);
    byte[] root = MerkleTree.root(d);
    List<byte[]> path = MerkleTree.path(6, d);
    assertThat(MerkleTree.rootFromPath(d.get(6), 6, 13, path)).isEqualTo(root);

    // another leaf, another index, another size
    assertThat(MerkleTree.rootFromPath(d.get(7), 6, 13, path)).isNotEqualTo(root);
    assertThat(MerkleTree.rootFromPath(d.get(6), 7, 13, path)).isNotEqualTo(root);
    // a size whose tree gives leaf 6 the same path leads to the same root; that is why the signed
    // batch statement holds the size too
    assertThat(MerkleTree.rootFromPath(d.get(6), 6, 14, path)).isEqualTo(root);
    assertThat(LedgerFormat.batchStatement(14, root)).isNotEqualTo(LedgerFormat.batchStatement(13, root));
    assertThat(MerkleTree.rootFromPath(d.get(6), 6, 17, path)).isNull();
    // one flipped bit in one element
    List<byte[]> flipped = new ArrayList<>(path);
    byte[] element = flipped.get(1).clone();
    element[31] ^= 1;
    flipped.set(1, element);
    assertThat(MerkleTree.rootFromPath(d.get(6), 6, 13, flipped)).isNotEqualTo(root);
    // elements swapped
    List<byte[]> swapped = new ArrayList<>(path);
    java.util.Collections.swap(swapped, 0, 1);
    assertThat(MerkleTree.rootFromPath(d.get(6), 6, 13, swapped)).isNotEqualTo(root);
    // too short, too long: no tree of 13 has such a path for leaf 6
    assertThat(MerkleTree.rootFromPath(d.get(6), 6, 13, path.subList(0, path.size() - 1))).isNull();
    List<byte[]> longer = new ArrayList<>(path);
    longer.add(root);
    assertThat(MerkleTree.rootFromPath(d.get(6), 6, 13, longer)).isNull();
    // a leaf outside the tree, an element of the wrong length
    assertThat(MerkleTree.rootFromPath(d.get(6), 13, 13, path)).isNull();
    assertThat(MerkleTree.rootFromPath(d.get(6), -1, 13, path)).isNull();
    List<byte[]> shortElement = new ArrayList<>(path);
    shortElement.set(0, new byte[31]);
    assertThat(MerkleTree.rootFromPath(d.get(6), 6, 13, shortElement)).isNull();
  }

  @Test
  void aTreeNeedsALeaf() {
    assertThatThrownBy(() -> MerkleTree.root(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MerkleTree.build(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MerkleTree.path(3, leaves(3))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theBatchStatement_isDomainZeroSizeRoot_73Bytes() {
    byte[] root = LedgerFormat.sha256(new byte[] {1});
    byte[] statement = LedgerFormat.batchStatement(258, root);
    assertThat(statement).hasSize(73);
    assertThat(new String(statement, 0, 32, StandardCharsets.US_ASCII)).isEqualTo("mandate-registry/ledger-batch/v2");
    assertThat(LedgerFormat.hex(java.util.Arrays.copyOfRange(statement, 32, 41))).isEqualTo("000000000000000102");
    assertThat(java.util.Arrays.copyOfRange(statement, 41, 73)).isEqualTo(root);
    assertThatThrownBy(() -> LedgerFormat.batchStatement(0, root)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aProof_roundTripsThroughJsonAndStorage_andIsReadStrictly() throws Exception {
    List<byte[]> d = leaves(6);
    MerkleProof proof = MerkleProof.of(4, 6, MerkleTree.path(4, d));
    assertThat(MerkleProof.fromObject(proof.toObject())).isEqualTo(proof);
    assertThat(MerkleProof.unpack(4, 6, proof.packedPath())).isEqualTo(proof);
    assertThat(proof.root(LedgerFormat.hex(d.get(4)))).isEqualTo(MerkleTree.root(d));

    com.fasterxml.jackson.databind.ObjectMapper json = LedgerJson.mapper();
    for (String bad : List.of(
        "{\"leaf_index\":4,\"tree_size\":6}",
        "{\"leaf_index\":4,\"tree_size\":6,\"path\":[],\"extra\":1}",
        "{\"leaf_index\":6,\"tree_size\":6,\"path\":[]}",
        "{\"leaf_index\":-1,\"tree_size\":6,\"path\":[]}",
        "{\"leaf_index\":\"4\",\"tree_size\":6,\"path\":[]}",
        "{\"leaf_index\":4.5,\"tree_size\":6,\"path\":[]}",
        "{\"leaf_index\":4,\"tree_size\":6,\"path\":[\"ABCD\"]}",
        "{\"leaf_index\":4,\"tree_size\":6,\"path\":\"00\"}",
        "[]")) {
      assertThatThrownBy(() -> MerkleProof.fromObject(json.readTree(bad))).as(bad)
          .isInstanceOf(MalformedEntryException.class);
    }
  }
}

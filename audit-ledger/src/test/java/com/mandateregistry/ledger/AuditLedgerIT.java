package com.mandateregistry.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mandateregistry.crypto.KeyedSignature;
import com.mandateregistry.crypto.Signer;
import com.mandateregistry.crypto.SigningException;
import com.mandateregistry.ledger.format.LedgerEntry;
import com.mandateregistry.ledger.format.LedgerEntryCodec;
import com.mandateregistry.ledger.format.LedgerFormat;
import com.mandateregistry.ledger.format.LedgerKey;
import com.mandateregistry.ledger.format.MerkleProof;
import com.mandateregistry.ledger.format.MerkleTree;
import com.mandateregistry.ledger.testsupport.LedgerDatabase;
import com.mandateregistry.ledger.testsupport.TestSigner;
import com.mandateregistry.ledger.testsupport.Trails;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.support.TransactionTemplate;

/** The ledger projection against real PostgreSQL (embedded), with its Flyway migration. */
class AuditLedgerIT {

  private static final Instant NOW = Instant.parse("2025-03-05T12:00:00Z");
  private static final String TENANT = "tnt_A";

  private LedgerDatabase db;
  private LedgerRepository repository;
  private TestSigner signer;
  private AuditLedger ledger;
  private ChainHeadVerifier heads;

  @BeforeEach
  void setUp() {
    db = LedgerDatabase.create();
    repository = new LedgerRepository(db.jdbc());
    signer = TestSigner.generate();
    ledger = ledger(signer);
    heads = new ChainHeadVerifier(repository, db.transactionManager());
  }

  private AuditLedger ledger(Signer s) {
    LedgerKey key = s instanceof TestSigner t ? t.ledgerKey() : signer.ledgerKey();
    return new AuditLedger(repository, db.transactionManager(), s, key, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void append_chainsEntriesPerTenant_andStoresThemAsReturned() throws Exception {
    List<LedgerEntry> appended = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      appended.add(ledger.append(Trails.event(TENANT, i)));
    }
    LedgerEntry other = ledger.append(Trails.event("tnt_B", 0));

    assertThat(appended).extracting(LedgerEntry::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(appended.get(0).previousEventHash()).isEqualTo(LedgerFormat.GENESIS_HASH);
    for (int i = 1; i < 5; i++) {
      assertThat(appended.get(i).previousEventHash()).isEqualTo(appended.get(i - 1).eventHash());
    }
    assertThat(other.sequence()).isEqualTo(1);
    assertThat(other.previousEventHash()).isEqualTo(LedgerFormat.GENESIS_HASH);

    for (LedgerEntry entry : appended) {
      assertThat(repository.findByEventId(TENANT, entry.eventId())).contains(entry);
      assertThat(LedgerEntryCodec.eventHash(entry.unsigned())).isEqualTo(entry.eventHash());
      // appended one at a time, each entry is a batch of one: its root is its own leaf hash
      assertThat(entry.merkleProof()).isEqualTo(new MerkleProof(0, 1, List.of()));
      signer.verifier().verify(LedgerFormat.unbase64Url(entry.kmsSignature()), LedgerFormat.batchStatement(1,
          MerkleTree.leafHash(LedgerFormat.unhex(LedgerEntryCodec.eventHash(entry.unsigned())))));
      assertThat(entry.keyId()).isEqualTo(signer.keyId());
    }
    assertThat(repository.findHead(TENANT)).contains(new ChainHead(TENANT, 5, appended.get(4).eventHash()));
    assertThat(heads.verifyAll()).containsExactly(
        new ChainHead(TENANT, 5, appended.get(4).eventHash()), new ChainHead("tnt_B", 1, other.eventHash()));
    assertThat(db.jdbc().queryForObject("SELECT recorded_at FROM ledger_entry WHERE sequence = 1 AND tenant_id = ?",
        java.time.OffsetDateTime.class, TENANT).toInstant()).isEqualTo(NOW);
  }

  @Test
  void append_sameEventTwice_addsNothing_andReturnsTheStoredEntry() throws Exception {
    LedgerEntry first = ledger.append(Trails.event(TENANT, 0));
    int signatures = signer.signatureCount();
    LedgerEntry again = ledger.append(Trails.event(TENANT, 0));
    assertThat(again).isEqualTo(first);
    assertThat(signer.signatureCount()).isEqualTo(signatures);
    assertThat(count()).isEqualTo(1);
    assertThat(ledger.append(Trails.event(TENANT, 1)).sequence()).isEqualTo(2);
  }

  @Test
  void append_eventIdWithOtherContent_isAConflict() throws Exception {
    ledger.append(Trails.event(TENANT, 0));
    PendingEntry original = Trails.event(TENANT, 0);
    PendingEntry altered = new PendingEntry(original.eventId(), original.tenantId(), original.mandateId(),
        original.eventType(), original.timestamp(), original.actor(), "{\"reason\":\"different\"}");
    assertThatThrownBy(() -> ledger.append(altered)).isInstanceOf(LedgerConflictException.class)
        .hasMessageContaining(original.eventId());
    PendingEntry otherTenant = new PendingEntry(original.eventId(), "tnt_B", original.mandateId(),
        original.eventType(), original.timestamp(), original.actor(), original.details());
    assertThatThrownBy(() -> ledger.append(otherTenant)).isInstanceOf(LedgerConflictException.class);
    assertThat(count()).isEqualTo(1);
  }

  @Test
  void append_whenTheSignerFails_throwsAndStoresNothing_thenARetrySucceeds() throws Exception {
    LedgerEntry first = ledger.append(Trails.event(TENANT, 0));
    signer.failNext(1);
    assertThatThrownBy(() -> ledger.append(Trails.event(TENANT, 1)))
        .isInstanceOf(SigningException.class).hasMessageContaining("unavailable");
    assertThat(count()).isEqualTo(1);
    assertThat(repository.findHead(TENANT)).contains(new ChainHead(TENANT, 1, first.eventHash()));

    // a first append for a new tenant leaves no head row behind either
    signer.failNext(1);
    assertThatThrownBy(() -> ledger.append(Trails.event("tnt_NEW", 0))).isInstanceOf(SigningException.class);
    assertThat(repository.findHead("tnt_NEW")).isEmpty();

    LedgerEntry retried = ledger.append(Trails.event(TENANT, 1));
    assertThat(retried.sequence()).isEqualTo(2);
    assertThat(retried.previousEventHash()).isEqualTo(first.eventHash());
    heads.verifyAll();
  }

  @Test
  void append_whenTheSignerAnswersForAnotherKey_throwsAndStoresNothing() {
    Signer confused = new Signer() {
      @Override
      public KeyedSignature sign(byte[] data) throws SigningException {
        KeyedSignature real = signer.sign(data);
        return new KeyedSignature("some-other-key", real.algorithm(), real.der());
      }

      @Override
      public String keyId() {
        return signer.keyId();
      }
    };
    assertThatThrownBy(() -> ledger(confused).append(Trails.event(TENANT, 0)))
        .isInstanceOf(SigningException.class).hasMessageContaining("some-other-key");
    assertThat(count()).isZero();
  }

  @Test
  void constructor_refusesAKeyThatIsNotTheSigners() {
    assertThatThrownBy(() -> new AuditLedger(repository, db.transactionManager(), signer,
        TestSigner.generate().ledgerKey(), Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void appendAll_chainsABatchOfSeveralTenants_inOrder_withOneSignatureForTheBatch_likeOneByOne()
      throws Exception {
    List<PendingEntry> batch = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      batch.add(Trails.event(i % 3 == 0 ? "tnt_B" : TENANT, i));
    }
    batch.add(batch.get(4)); // the same event twice in one batch is stored once
    int signaturesBefore = signer.signatureCount();

    List<LedgerEntry> stored = ledger.appendAll(batch);

    assertThat(signer.signatureCount() - signaturesBefore).isEqualTo(1);
    assertThat(stored).hasSize(31);
    assertThat(stored.get(30)).isEqualTo(stored.get(4));
    assertThat(count()).isEqualTo(30);
    assertThat(stored.subList(0, 30).stream().filter(e -> e.tenantId().equals(TENANT)))
        .extracting(LedgerEntry::sequence).containsExactly(
            java.util.stream.LongStream.rangeClosed(1, 20).boxed().toArray(Long[]::new));
    assertThat(heads.verifyAll()).hasSize(2);
    // every entry carries the batch's one signature and its own place in the batch's tree, and
    // its proof leads from its own hash to the root that signature covers
    assertThat(stored.subList(0, 30)).extracting(LedgerEntry::kmsSignature).containsOnly(stored.get(0).kmsSignature());
    assertThat(stored.subList(0, 30)).extracting(e -> e.merkleProof().leafIndex())
        .containsExactly(java.util.stream.LongStream.range(0, 30).boxed().toArray(Long[]::new));
    byte[] der = LedgerFormat.unbase64Url(stored.get(0).kmsSignature());
    for (LedgerEntry entry : stored.subList(0, 30)) {
      assertThat(entry.signingAlgorithm()).isEqualTo(LedgerFormat.SIGNING_ALGORITHM_MERKLE);
      assertThat(entry.merkleProof().treeSize()).isEqualTo(30);
      byte[] statement = LedgerFormat.batchStatement(30, entry.merkleProof().root(entry.eventHash()));
      signer.verifier().verify(der, statement);
    }
    // stored and read back, the proofs are unchanged
    assertThat(repository.findByEventIds(List.of(stored.get(7).eventId())).get(stored.get(7).eventId()))
        .isEqualTo(stored.get(7));
    // the same events one by one into another ledger give the same hashes, each in a tree of one
    LedgerDatabase other = LedgerDatabase.create();
    AuditLedger oneByOne = new AuditLedger(new LedgerRepository(other.jdbc()), other.transactionManager(),
        signer, signer.ledgerKey(), Clock.fixed(NOW, ZoneOffset.UTC));
    for (int i = 0; i < 30; i++) {
      LedgerEntry single = oneByOne.append(batch.get(i));
      assertThat(single.eventHash()).isEqualTo(stored.get(i).eventHash());
      assertThat(single.merkleProof()).isEqualTo(new MerkleProof(0, 1, List.of()));
    }
  }

  @Test
  void lockHeads_createsOnlyTheHeadsAskedFor_andLocksAllThatExist() throws Exception {
    LedgerEntry first = ledger.append(Trails.event(TENANT, 0));
    TransactionTemplate tx = new TransactionTemplate(db.transactionManager());

    Map<String, ChainHead> locked =
        tx.execute(s -> repository.lockHeads(List.of("tnt_NEW", TENANT), List.of("tnt_NEW"), NOW));
    assertThat(locked).containsOnly(
        Map.entry(TENANT, new ChainHead(TENANT, 1, first.eventHash())),
        Map.entry("tnt_NEW", ChainHead.empty("tnt_NEW")));
    // a chain known to be non-empty needs no insert: its head row is never deleted
    Map<String, ChainHead> none =
        tx.execute(s -> repository.lockHeads(List.of("tnt_OTHER"), List.<String>of(), NOW));
    assertThat(none).isEmpty();
    assertThat(repository.findHead("tnt_OTHER")).isEmpty();

    // a batch over a tenant with entries and one without appends to both
    List<LedgerEntry> stored =
        ledger.appendAll(List.of(Trails.event(TENANT, 1), Trails.event("tnt_C", 2), Trails.event(TENANT, 3)));
    assertThat(stored).extracting(LedgerEntry::sequence).containsExactly(2L, 1L, 3L);
    assertThat(repository.findHead(TENANT)).contains(new ChainHead(TENANT, 3, stored.get(2).eventHash()));
    assertThat(repository.findHead("tnt_C")).contains(new ChainHead("tnt_C", 1, stored.get(1).eventHash()));
  }

  @Test
  void advanceHeads_movesEveryChainOfABatch_orNoneWhenAHeadIsNotWhereItsMoveStarts() throws Exception {
    LedgerEntry a1 = ledger.append(Trails.event(TENANT, 0));
    LedgerEntry b1 = ledger.append(Trails.event("tnt_B", 1));
    ChainHead a = EntrySealer.headAfter(a1);
    ChainHead b = EntrySealer.headAfter(b1);
    LedgerEntry a2 = EntrySealer.seal(a, Trails.event(TENANT, 2), signer);
    LedgerEntry a3 = EntrySealer.seal(EntrySealer.headAfter(a2), Trails.event(TENANT, 3), signer);
    LedgerEntry b2 = EntrySealer.seal(b, Trails.event("tnt_B", 4), signer);
    TransactionTemplate tx = new TransactionTemplate(db.transactionManager());

    // tnt_B's move claims to start from the empty chain: refused, and the transaction with it
    assertThatThrownBy(() -> tx.executeWithoutResult(s -> {
      repository.insertAll(List.of(a2, b2), NOW);
      repository.advanceHeads(
          List.of(new LedgerRepository.HeadMove(a, a2), new LedgerRepository.HeadMove(ChainHead.empty("tnt_B"), b2)),
          NOW);
    })).isInstanceOf(IllegalStateException.class).hasMessageStartingWith("1 of 2 chain heads");
    assertThat(repository.findHead(TENANT)).contains(a);
    assertThat(repository.findHead("tnt_B")).contains(b);

    // two entries of one chain and one of another, in one batch: every head ends on its last entry
    tx.executeWithoutResult(s -> {
      repository.insertAll(List.of(a2, b2, a3), NOW);
      repository.advanceHeads(
          List.of(
              new LedgerRepository.HeadMove(a, a2),
              new LedgerRepository.HeadMove(b, b2),
              new LedgerRepository.HeadMove(EntrySealer.headAfter(a2), a3)),
          NOW);
    });
    assertThat(repository.findHead(TENANT)).contains(EntrySealer.headAfter(a3));
    assertThat(repository.findHead("tnt_B")).contains(EntrySealer.headAfter(b2));
    assertThat(heads.verifyAll()).hasSize(2);
  }

  @Test
  void appendAll_whenOneSignatureFails_storesNothingOfTheBatch() {
    List<PendingEntry> batch = List.of(Trails.event(TENANT, 0), Trails.event(TENANT, 1), Trails.event("tnt_B", 2));
    signer.failNext(1);

    assertThatThrownBy(() -> ledger.appendAll(batch)).isInstanceOf(SigningException.class);

    assertThat(count()).isZero();
    assertThat(repository.findHead(TENANT)).isEmpty();
  }

  @Test
  void concurrentAppendsFromTwoNodes_serialisePerTenant() throws Exception {
    AuditLedger nodeA = ledger(signer);
    AuditLedger nodeB = new AuditLedger(new LedgerRepository(db.jdbc()), db.transactionManager(), signer,
        signer.ledgerKey(), Clock.fixed(NOW, ZoneOffset.UTC));
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Callable<LedgerEntry>> tasks = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        PendingEntry event = Trails.event(i % 3 == 0 ? "tnt_B" : TENANT, i);
        AuditLedger node = i % 2 == 0 ? nodeA : nodeB;
        tasks.add(() -> node.append(event));
        // every tenant-A event is also delivered a second time, to the other node
        if (i % 3 != 0) {
          AuditLedger otherNode = node == nodeA ? nodeB : nodeA;
          tasks.add(() -> otherNode.append(event));
        }
      }
      for (Future<LedgerEntry> f : pool.invokeAll(tasks)) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(repository.findHead(TENANT).orElseThrow().sequence()).isEqualTo(40);
    assertThat(repository.findHead("tnt_B").orElseThrow().sequence()).isEqualTo(20);
    assertThat(count()).isEqualTo(60);
    assertThat(heads.verifyAll()).hasSize(2);
  }

  @Test
  void concurrentBatchesFromTwoNodes_overManyTenantsInOppositeOrders_neitherDeadlockNorLoseOrDuplicate()
      throws Exception {
    // each batch holds one event of each of 12 tenants; node A lists them A..L, node B L..A, and
    // every event is delivered to both nodes. Head rows locked in arrival order would deadlock.
    List<String> tenants = new ArrayList<>();
    for (char c = 'A'; c <= 'L'; c++) {
      tenants.add("tnt_" + c);
    }
    AuditLedger nodeA = ledger(signer);
    AuditLedger nodeB = new AuditLedger(new LedgerRepository(db.jdbc()), db.transactionManager(), signer,
        signer.ledgerKey(), Clock.fixed(NOW, ZoneOffset.UTC));
    int rounds = 15;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<List<LedgerEntry>>> tasks = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        List<PendingEntry> batch = new ArrayList<>();
        for (String tenant : tenants) {
          batch.add(Trails.event(tenant, round));
        }
        List<PendingEntry> reversed = new ArrayList<>(batch);
        java.util.Collections.reverse(reversed);
        tasks.add(() -> nodeA.appendAll(batch));
        tasks.add(() -> nodeB.appendAll(reversed));
      }
      for (Future<List<LedgerEntry>> f : pool.invokeAll(tasks)) {
        assertThat(f.get()).hasSize(tenants.size());
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(count()).isEqualTo((long) rounds * tenants.size());
    for (String tenant : tenants) {
      assertThat(repository.findHead(tenant).orElseThrow().sequence()).isEqualTo(rounds);
    }
    assertThat(heads.verifyAll()).hasSize(tenants.size());
  }

  @Test
  void replayingTheSameEventsIntoAnEmptyLedger_givesByteIdenticalHashes() throws Exception {
    List<String> firstRun = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      firstRun.add(ledger.append(Trails.event(TENANT, i)).eventHash());
    }
    LedgerDatabase rebuilt = LedgerDatabase.create();
    LedgerRepository rebuiltRepository = new LedgerRepository(rebuilt.jdbc());
    AuditLedger replay = new AuditLedger(rebuiltRepository, rebuilt.transactionManager(), signer,
        signer.ledgerKey(), Clock.fixed(NOW.plusSeconds(3600), ZoneOffset.UTC));
    List<String> secondRun = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      secondRun.add(replay.append(Trails.event(TENANT, i)).eventHash());
    }
    assertThat(secondRun).isEqualTo(firstRun);
    assertThat(rebuiltRepository.findBySequence(TENANT, 1).orElseThrow().kmsSignature())
        .isNotEqualTo(repository.findBySequence(TENANT, 1).orElseThrow().kmsSignature());
  }

  @Test
  void trickyJson_survivesTheDatabaseRoundTrip() throws Exception {
    PendingEntry tricky = new PendingEntry("evt_tricky", TENANT, null, "ESCALATION_TRIGGERED", Trails.T0,
        "{\"type\":\"user\",\"id\":\"u\\\"1\\\\\"}",
        "{\"emoji\":\"😀\",\"ctl\":\"\\u0001\\t\",\"big\":12345678901234567890,\"tiny\":5e-324,\"e\":1E21,"
            + "\"neg\":-0.0,\"nested\":{\"z\":[],\"a\":{}},\"bidi\":\"\\u202e\",\"dec\":0.1}");
    LedgerEntry appended = ledger.append(tricky);
    LedgerEntry stored = repository.findByEventId(TENANT, "evt_tricky").orElseThrow();
    assertThat(stored).isEqualTo(appended);
    assertThat(LedgerEntryCodec.eventHash(stored.unsigned())).isEqualTo(appended.eventHash());
    heads.verifyAll();
  }

  @Test
  void queries_arePerTenant_inSequence_withKeysetPagination() throws Exception {
    for (int i = 0; i < 12; i++) {
      ledger.append(Trails.event(TENANT, i));
    }
    ledger.append(Trails.event("tnt_B", 0));

    LedgerPage page1 = repository.findByTenant(TENANT, 0, 5);
    assertThat(page1.entries()).extracting(LedgerEntry::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(page1.hasMore()).isTrue();
    long after = LedgerCursor.decode(LedgerCursor.encode(page1.nextAfterSequence().orElseThrow()));
    LedgerPage page3 = repository.findByTenant(TENANT, repository.findByTenant(TENANT, after, 5).nextAfterSequence().orElseThrow(), 5);
    assertThat(page3.entries()).extracting(LedgerEntry::sequence).containsExactly(11L, 12L);
    assertThat(page3.hasMore()).isFalse();
    assertThat(page3.nextAfterSequence()).isEmpty();

    String mandate = Trails.event(TENANT, 0).mandateId();
    assertThat(repository.findByMandate(TENANT, mandate, 0, 100).entries())
        .extracting(LedgerEntry::mandateId).containsOnly(mandate).hasSize(6);
    assertThat(repository.findByMandate("tnt_B", mandate, 0, 100).entries()).isEmpty();
    assertThat(repository.findByEventType(TENANT, "MANDATE_CREATED", 0, 100).entries())
        .extracting(LedgerEntry::sequence).containsExactly(1L, 8L);
    assertThat(repository.findByEventType(TENANT, "MANDATE_CREATED", 1, 100).entries())
        .extracting(LedgerEntry::sequence).containsExactly(8L);
    String eventOfB = Trails.event("tnt_B", 0).eventId();
    assertThat(repository.findByEventId("tnt_B", eventOfB)).isPresent();
    assertThat(repository.findByEventId(TENANT, eventOfB)).isEmpty();
    assertThatThrownBy(() -> LedgerCursor.decode("bm9wZQ")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void signingKeys_arePublishedOnce_andRetiredOnce() throws Exception {
    ledger.append(Trails.event(TENANT, 0));
    ledger(signer).append(Trails.event(TENANT, 1));
    LedgerKey published = repository.findKeys().find(signer.keyId()).orElseThrow();
    assertThat(published.notBefore()).contains(NOW);
    assertThat(published.notAfter()).isEmpty();

    repository.retireKey(signer.keyId(), NOW.plusSeconds(86_400));
    assertThat(repository.findKeys().find(signer.keyId()).orElseThrow().notAfter()).contains(NOW.plusSeconds(86_400));
    assertThatThrownBy(() -> repository.retireKey(signer.keyId(), NOW.plusSeconds(1)))
        .isInstanceOf(DataAccessException.class).hasMessageContaining("only setting not_after once");
    assertThatThrownBy(() -> db.jdbc().update("DELETE FROM ledger_signing_key"))
        .hasMessageContaining("append-only: DELETE refused");
  }

  /** The tables' own check of the stored hashes (V202): 64 lowercase hex digits, nothing else. */
  @Test
  void theTables_storeOnlyHashesOf64LowercaseHexDigits() throws Exception {
    LedgerEntry first = ledger.append(Trails.event(TENANT, 0));
    String copy =
        "INSERT INTO ledger_entry (tenant_id, sequence, event_id, mandate_id, event_type, event_timestamp,"
            + " actor, details, previous_event_hash, event_hash, kms_signature, key_id, hash_algorithm,"
            + " signing_algorithm, recorded_at)"
            + " SELECT tenant_id, ?, ?, mandate_id, event_type, event_timestamp, actor, details, ?, ?,"
            + " kms_signature, key_id, hash_algorithm, signing_algorithm, recorded_at"
            + " FROM ledger_entry WHERE tenant_id = ? AND sequence = 1";
    String advanceHead = "UPDATE ledger_chain_head SET sequence = sequence + 1, event_hash = ? WHERE tenant_id = ?";
    String good = "0123456789abcdef".repeat(4);
    List<String> bad =
        List.of(
            good.toUpperCase(),
            good.substring(1),
            good + "0",
            good.substring(1) + "g",
            good.substring(1) + "\n",
            good.substring(1) + "é",
            "");

    for (String hash : bad) {
      assertThatThrownBy(() -> db.jdbc().update(copy, 2, "evt-bad", first.eventHash(), hash, TENANT))
          .as("event_hash %s", hash)
          .hasMessageContaining("ledger_entry_event_hash_ck");
      assertThatThrownBy(() -> db.jdbc().update(copy, 2, "evt-bad", hash, first.eventHash(), TENANT))
          .as("previous_event_hash %s", hash)
          .hasMessageContaining("ledger_entry_previous_hash_ck");
      assertThatThrownBy(() -> db.jdbc().update(advanceHead, hash, TENANT))
          .as("chain head %s", hash)
          .hasMessageContaining("ledger_chain_head_hash_ck");
    }
    assertThat(count()).isEqualTo(1);
    assertThat(repository.findHead(TENANT).orElseThrow().eventHash()).isEqualTo(first.eventHash());

    // the control: the same statements with well-formed hashes are stored
    assertThat(db.jdbc().update(copy, 2, "evt-good", first.eventHash(), good, TENANT)).isEqualTo(1);
    assertThat(db.jdbc().update(advanceHead, good, TENANT)).isEqualTo(1);
  }

  /**
   * The Merkle proof columns (V203): all three or none, and a proof that makes sense. V201's check
   * passed a partial proof, because a comparison with NULL is NULL and a CHECK passes on NULL.
   */
  @Test
  void theMerkleProofColumns_holdAllThreeOrNone() throws Exception {
    ledger.append(Trails.event(TENANT, 0));
    String copy =
        "INSERT INTO ledger_entry (tenant_id, sequence, event_id, mandate_id, event_type, event_timestamp,"
            + " actor, details, previous_event_hash, event_hash, kms_signature, key_id, hash_algorithm,"
            + " signing_algorithm, recorded_at, merkle_leaf_index, merkle_tree_size, merkle_path)"
            + " SELECT tenant_id, 2, ?, mandate_id, event_type, event_timestamp, actor, details, event_hash,"
            + " event_hash, kms_signature, key_id, hash_algorithm, signing_algorithm, recorded_at, ?, ?, ?"
            + " FROM ledger_entry WHERE tenant_id = ? AND sequence = 1";
    byte[] path = new byte[32];
    List<Object[]> partial = List.of(
        new Object[] {0L, 5L, null},
        new Object[] {null, null, path},
        new Object[] {0L, null, path},
        new Object[] {null, 5L, path},
        new Object[] {5L, 5L, path},
        new Object[] {0L, 5L, new byte[31]});

    for (Object[] proof : partial) {
      assertThatThrownBy(() -> db.jdbc().update(copy, "evt-partial", proof[0], proof[1], proof[2], TENANT))
          .as("proof %s", java.util.Arrays.toString(proof))
          .hasMessageContaining("ledger_entry_merkle_proof_ck");
    }
    assertThat(count()).isEqualTo(1);
    // the control: all three, or none
    assertThat(db.jdbc().update(copy, "evt-whole", 0L, 5L, path, TENANT)).isEqualTo(1);
  }

  private long count() {
    return db.jdbc().queryForObject("SELECT count(*) FROM ledger_entry", Long.class);
  }
}

package com.mandateregistry.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mandateregistry.ledger.cli.LedgerCli;
import com.mandateregistry.ledger.format.LedgerEntry;
import com.mandateregistry.ledger.format.LedgerEntryCodec;
import com.mandateregistry.ledger.format.LedgerFormat;
import com.mandateregistry.ledger.format.LedgerJson;
import com.mandateregistry.ledger.format.UnsignedEntry;
import com.mandateregistry.ledger.testsupport.LedgerDatabase;
import com.mandateregistry.ledger.testsupport.TestSigner;
import com.mandateregistry.ledger.testsupport.Trails;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Tamper evidence in the database: the table refuses UPDATE, DELETE and TRUNCATE; someone who gets
 * around that (a superuser switching triggers off) is caught by the start-up chain-head check and by
 * exporting and verifying, which name the right entry.
 */
class LedgerTamperIT {

  private static final Instant NOW = Instant.parse("2025-03-05T12:00:00Z");
  private static final String TENANT = "tnt_A";
  private static final int COUNT = 8;

  @TempDir Path dir;

  private LedgerDatabase db;
  private LedgerRepository repository;
  private ChainHeadVerifier heads;
  private TestSigner signer;
  private List<LedgerEntry> entries;

  @BeforeEach
  void setUp() throws Exception {
    db = LedgerDatabase.create();
    repository = new LedgerRepository(db.jdbc());
    heads = new ChainHeadVerifier(repository, db.transactionManager());
    signer = TestSigner.generate();
    AuditLedger ledger = new AuditLedger(repository, db.transactionManager(), signer, signer.ledgerKey(),
        Clock.fixed(NOW, ZoneOffset.UTC));
    entries = new ArrayList<>();
    for (int i = 0; i < COUNT; i++) {
      entries.add(ledger.append(Trails.event(TENANT, i)));
    }
    ledger.append(Trails.event("tnt_B", 0));
  }

  // --- the database refuses changes

  @Test
  void updateDeleteAndTruncate_areRefused() {
    assertThatThrownBy(() -> db.jdbc().update("UPDATE ledger_entry SET details = '{}' WHERE sequence = 3"))
        .hasMessageContaining("ledger_entry is append-only: UPDATE refused");
    assertThatThrownBy(() -> db.jdbc().update("DELETE FROM ledger_entry WHERE sequence = 3"))
        .hasMessageContaining("ledger_entry is append-only: DELETE refused");
    assertThatThrownBy(() -> db.jdbc().execute("TRUNCATE ledger_entry"))
        .hasMessageContaining("ledger_entry is append-only: TRUNCATE refused");
    assertThat(db.jdbc().queryForObject("SELECT count(*) FROM ledger_entry", Long.class)).isEqualTo(COUNT + 1);
  }

  @Test
  void theHead_onlyMovesForwardByOne_andIsNeverDeleted() {
    assertThatThrownBy(() -> db.jdbc().update("UPDATE ledger_chain_head SET sequence = 3 WHERE tenant_id = ?", TENANT))
        .hasMessageContaining("may only advance by one");
    assertThatThrownBy(() -> db.jdbc().update("UPDATE ledger_chain_head SET sequence = 10 WHERE tenant_id = ?", TENANT))
        .hasMessageContaining("may only advance by one");
    assertThatThrownBy(() -> db.jdbc().update("DELETE FROM ledger_chain_head"))
        .hasMessageContaining("ledger_chain_head is append-only: DELETE refused");
    assertThatThrownBy(() -> db.jdbc().execute("TRUNCATE ledger_chain_head"))
        .hasMessageContaining("TRUNCATE refused");
  }

  @Test
  void duplicateSequenceOrEventId_isRefused() {
    LedgerEntry e = entries.get(2);
    assertThatThrownBy(() -> repository.insert(copy(e, e.eventId() + "_x"), NOW))
        .hasMessageContaining("ledger_entry_pk");
    assertThatThrownBy(() -> repository.insert(copyAt(e, 100), NOW))
        .hasMessageContaining("ledger_entry_event_id_uk");
  }

  // --- someone with superuser rights gets around the triggers

  @Test
  void editedDetail_failsTheStartupCheck_andVerifyNamesTheEntry() throws Exception {
    db.tamper("UPDATE ledger_entry SET details = '{\"reason\":\"approved by the board\"}'"
        + " WHERE tenant_id = 'tnt_A' AND sequence = 3");
    assertThatThrownBy(() -> heads.verifyAll())
        .isInstanceOf(ChainHeadMismatchException.class)
        .hasMessageStartingWith("chain head mismatch for tenant tnt_A at sequence 3: got ")
        .hasMessageContaining("want " + entries.get(2).eventHash());
    assertThat(exportAndVerify()).startsWith(
        "BROKEN: sequence 3, event " + entries.get(2).eventId() + ", line 4: hash mismatch: event_hash is "
            + entries.get(2).eventHash());
  }

  @Test
  void editedHash_failsTheStartupCheck_andVerifyNamesTheEntry() throws Exception {
    String forged = "f".repeat(64);
    db.tamper("UPDATE ledger_entry SET event_hash = '" + forged + "' WHERE tenant_id = 'tnt_A' AND sequence = 3");
    assertThatThrownBy(() -> heads.verifyAll())
        .hasMessage("chain head mismatch for tenant tnt_A at sequence 3: got " + entries.get(2).eventHash()
            + " (recomputed from the stored entry " + entries.get(2).eventId() + "), want " + forged
            + " (its stored event_hash)");
    assertThat(exportAndVerify()).startsWith("BROKEN: sequence 3, event " + entries.get(2).eventId() + ", line 4: hash mismatch");
  }

  @Test
  void deletedMiddleEntry_failsTheStartupCheck_andVerifyReportsTheGap() throws Exception {
    db.tamper("DELETE FROM ledger_entry WHERE tenant_id = 'tnt_A' AND sequence = 4");
    assertThatThrownBy(() -> heads.verifyTenant(TENANT))
        .hasMessage("chain head mismatch for tenant tnt_A at sequence 4: got sequence 5 (event "
            + entries.get(4).eventId() + "), want sequence 4 (entries missing from storage)");
    assertThat(exportAndVerify()).startsWith(
        "BROKEN: sequence 5, event " + entries.get(4).eventId() + ", line 5: gap in sequence: expected sequence 4, found 5");
  }

  @Test
  void deletedTail_isCaughtByTheStoredHead_andByExpectCount() throws Exception {
    db.tamper("DELETE FROM ledger_entry WHERE tenant_id = 'tnt_A' AND sequence >= 7");
    assertThatThrownBy(() -> heads.verifyAll())
        .hasMessage("chain head mismatch for tenant tnt_A at sequence 8: got no entry (stored chain ends at sequence 6"
            + " with " + entries.get(5).eventHash() + "), want " + entries.get(7).eventHash());
    // the trail alone still looks fine: a hash chain cannot see its own missing tail
    assertThat(exportAndVerify()).startsWith("INTACT: 6 entries");
    assertThat(exportAndVerify("--expect-count", String.valueOf(COUNT))).startsWith(
        "BROKEN: sequence 6, event " + entries.get(5).eventId() + ", line 7: unexpected entry count: the trail has 6 entries, expected 8");
    assertThat(exportAndVerify("--expect-head", entries.get(7).eventHash())).contains("unexpected head");
  }

  @Test
  void swappedEntries_failTheStartupCheck_andVerifyNamesTheFirst() throws Exception {
    db.tamper(
        "UPDATE ledger_entry SET sequence = 1000 WHERE tenant_id = 'tnt_A' AND sequence = 4",
        "UPDATE ledger_entry SET sequence = 4 WHERE tenant_id = 'tnt_A' AND sequence = 5",
        "UPDATE ledger_entry SET sequence = 5 WHERE tenant_id = 'tnt_A' AND sequence = 1000");
    assertThatThrownBy(() -> heads.verifyAll())
        .hasMessageStartingWith("chain head mismatch for tenant tnt_A at sequence 4: got previous_event_hash "
            + entries.get(3).eventHash());
    // the row now at position 4 is entry 5's content with its sequence rewritten
    assertThat(exportAndVerify()).startsWith(
        "BROKEN: sequence 4, event " + entries.get(4).eventId() + ", line 5: broken link");
  }

  @Test
  void forgedEntryAppendedWithTheHeadMoved_passesTheHashCheck_butNotTheSignatureCheck() throws Exception {
    TestSigner attacker = TestSigner.generate();
    LedgerEntry last = entries.get(COUNT - 1);
    PendingEntry pending = new PendingEntry("evt_forged", TENANT, null, "MANDATE_REVOKED", NOW, "{\"type\":\"system\"}", "{}");
    LedgerEntry forged = EntrySealer.seal(EntrySealer.headAfter(last), pending, attacker);
    UnsignedEntry u = forged.unsigned();
    UnsignedEntry claimed = new UnsignedEntry(u.sequence(), u.eventId(), u.tenantId(), u.mandateId(), u.eventType(),
        u.timestamp(), u.actor(), u.details(), u.previousEventHash(), signer.keyId(), u.hashAlgorithm(), u.signingAlgorithm());
    byte[] encoded = LedgerEntryCodec.encode(claimed);
    LedgerEntry insert = LedgerEntry.of(claimed, LedgerFormat.hex(LedgerFormat.sha256(encoded)),
        LedgerFormat.base64Url(attacker.sign(encoded).der()));
    // INSERT is what the table allows; moving the head by one too
    repository.insert(insert, NOW);
    repository.advanceHead(EntrySealer.headAfter(last), insert, NOW);
    // hashes and links are consistent, so the start-up check passes ...
    assertThat(heads.verifyTenant(TENANT).sequence()).isEqualTo(COUNT + 1);
    // ... but the signature is not the ledger key's
    assertThat(exportAndVerify()).startsWith("BROKEN: sequence 9, event evt_forged, line 10: bad signature");
  }

  @Test
  void intactDatabase_exportsAndVerifies_andKeepsTenantsApart() throws Exception {
    heads.verifyAll();
    assertThat(exportAndVerify("--expect-count", "8", "--expect-head", entries.get(7).eventHash()))
        .startsWith("INTACT: 8 entries of tenant tnt_A verified (head: sequence 8, event_hash " + entries.get(7).eventHash());
    List<String> lines = Files.readAllLines(dir.resolve("trail.jsonl"));
    assertThat(lines).hasSize(COUNT + 1);
    assertThat(lines.get(0)).contains("\"source\":\"database\"").contains(signer.keyId()).contains("\"nbf\":");
    assertThat(LedgerJson.fromJsonLine(lines.get(3))).isEqualTo(entries.get(2));
  }

  // --- helpers

  /** Runs {@code ledger export} from the database, then {@code ledger verify}; returns verify's output. */
  private String exportAndVerify(String... verifyOptions) {
    Path file = dir.resolve("trail.jsonl");
    StringWriter exportErr = new StringWriter();
    CommandLine export = LedgerCli.commandLine(new LedgerCli(Clock.fixed(NOW, ZoneOffset.UTC)));
    export.setErr(new PrintWriter(exportErr, true));
    int exported = export.execute("export", "--tenant", TENANT, "--jdbc-url", db.jdbcUrl(),
        "--db-user", "postgres", "--out", file.toString());
    assertThat(exported).as(exportErr.toString()).isEqualTo(LedgerCli.INTACT);

    StringWriter out = new StringWriter();
    CommandLine verify = LedgerCli.commandLine(new LedgerCli());
    verify.setOut(new PrintWriter(out, true));
    verify.setErr(new PrintWriter(new StringWriter(), true));
    List<String> args = new ArrayList<>(List.of("verify", file.toString(), "--quiet"));
    args.addAll(List.of(verifyOptions));
    int code = verify.execute(args.toArray(String[]::new));
    String output = out.toString();
    assertThat(code).as(output).isEqualTo(output.startsWith("INTACT") ? LedgerCli.INTACT : LedgerCli.BROKEN);
    return output;
  }

  private static LedgerEntry copy(LedgerEntry e, String eventId) {
    return new LedgerEntry(e.sequence(), eventId, e.tenantId(), e.mandateId(), e.eventType(), e.timestamp(), e.actor(),
        e.details(), e.previousEventHash(), e.eventHash(), e.kmsSignature(), e.keyId(), e.hashAlgorithm(), e.signingAlgorithm(), e.merkleProof());
  }

  private static LedgerEntry copyAt(LedgerEntry e, long sequence) {
    return new LedgerEntry(sequence, e.eventId(), e.tenantId(), e.mandateId(), e.eventType(), e.timestamp(), e.actor(),
        e.details(), e.previousEventHash(), e.eventHash(), e.kmsSignature(), e.keyId(), e.hashAlgorithm(), e.signingAlgorithm(), e.merkleProof());
  }
}

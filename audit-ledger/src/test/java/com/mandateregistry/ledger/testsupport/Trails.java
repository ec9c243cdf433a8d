package com.mandateregistry.ledger.testsupport;

import com.mandateregistry.crypto.Signer;
import com.mandateregistry.crypto.SigningException;
import com.mandateregistry.ledger.ChainHead;
import com.mandateregistry.ledger.EntrySealer;
import com.mandateregistry.ledger.PendingEntry;
import com.mandateregistry.ledger.format.ExportHeader;
import com.mandateregistry.ledger.format.LedgerEntry;
import com.mandateregistry.ledger.format.LedgerJson;
import com.mandateregistry.ledger.format.LedgerKeySet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Test-only helper: sample events and in-memory signed trails, and export files made of them. */
public final class Trails {

  public static final Instant T0 = Instant.parse("2025-03-01T09:30:00.120Z");

  private static final String[] TYPES = {
    "MANDATE_CREATED", "VERIFICATION_ALLOWED", "MANDATE_SUSPENDED", "MANDATE_REACTIVATED",
    "VERIFICATION_DENIED", "ESCALATION_TRIGGERED", "MANDATE_REVOKED"
  };

  private Trails() {}

  /** The i-th sample event of {@code tenantId} (deterministic: same i, same event). */
  public static PendingEntry event(String tenantId, int i) {
    String type = TYPES[i % TYPES.length];
    String mandate = i % 5 == 4 ? null : "mdt_" + tenantId + "_" + (i / 7);
    return new PendingEntry(
        "evt_" + tenantId + "_" + String.format("%07d", i),
        tenantId,
        mandate,
        type,
        T0.plusMillis(1000L * i + i % 3),
        "{\"type\":\"api_key\",\"id\":\"key_01J" + (i % 3) + "\"}",
        "{\"reason\":\"sample " + i + "\",\"amount\":" + (i * 10) + ",\"tags\":[\"a\",\"ü\"],\"ok\":true}");
  }

  /** A chain of {@code count} sample events of {@code tenantId}, signed by {@code signer}. */
  public static List<LedgerEntry> chain(String tenantId, int count, Signer signer) {
    List<LedgerEntry> entries = new ArrayList<>();
    ChainHead head = ChainHead.empty(tenantId);
    for (int i = 0; i < count; i++) {
      LedgerEntry entry = seal(head, event(tenantId, i), signer);
      entries.add(entry);
      head = EntrySealer.headAfter(entry);
    }
    return entries;
  }

  /**
   * Entries signed batch by batch, as the service writes them (format v2): each inner list is one
   * append batch of events of any tenants, placed on their tenants' chains in order and signed
   * with one signature over the batch's Merkle tree.
   *
   * @return every entry, batch after batch
   */
  public static List<LedgerEntry> batches(List<List<PendingEntry>> batches, Signer signer) {
    java.util.Map<String, ChainHead> heads = new java.util.HashMap<>();
    List<LedgerEntry> entries = new ArrayList<>();
    for (List<PendingEntry> batch : batches) {
      List<EntrySealer.Prepared> prepared = new ArrayList<>();
      for (PendingEntry pending : batch) {
        ChainHead head = heads.getOrDefault(pending.tenantId(), ChainHead.empty(pending.tenantId()));
        EntrySealer.Prepared entry = EntrySealer.prepare(head, pending, signer.keyId());
        heads.put(pending.tenantId(), entry.head());
        prepared.add(entry);
      }
      try {
        entries.addAll(EntrySealer.sealBatch(prepared, signer));
      } catch (SigningException e) {
        throw new IllegalStateException(e);
      }
    }
    return entries;
  }

  public static LedgerEntry seal(ChainHead head, PendingEntry pending, Signer signer) {
    try {
      return EntrySealer.seal(head, pending, signer);
    } catch (SigningException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Header line plus one line per entry. */
  public static List<String> exportLines(String tenantId, LedgerKeySet keys, List<LedgerEntry> entries) {
    List<String> lines = new ArrayList<>();
    lines.add(new ExportHeader(tenantId, T0.plusSeconds(86_400), "database", keys).toJsonLine());
    entries.forEach(e -> lines.add(LedgerJson.toJsonLine(e)));
    return lines;
  }

  public static Path write(Path file, List<String> lines) {
    try {
      Files.write(file, lines, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

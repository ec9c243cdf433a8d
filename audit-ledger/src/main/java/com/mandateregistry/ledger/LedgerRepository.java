package com.mandateregistry.ledger;

import com.mandateregistry.ledger.format.LedgerEntry;
import com.mandateregistry.ledger.format.LedgerFormat;
import com.mandateregistry.ledger.format.LedgerKey;
import com.mandateregistry.ledger.format.LedgerKeySet;
import com.mandateregistry.ledger.jdbc.LedgerRows;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The ledger tables over {@link JdbcTemplate}: {@code ledger_entry} (append-only), {@code
 * ledger_chain_head} (one row per tenant, only ever advanced by one) and {@code
 * ledger_signing_key}. Queries are per tenant, in ascending sequence, with keyset pagination.
 *
 * <p>Methods that take a lock or stream ({@link #lockHeads}, {@link #forEachEntry}) must run inside
 * a transaction; {@link AuditLedger} and {@link ChainHeadVerifier} open one.
 */
public class LedgerRepository {

  private static final RowMapper<LedgerEntry> ENTRY = (rs, n) -> LedgerRows.entry(rs);
  private static final RowMapper<ChainHead> HEAD =
      (rs, n) -> new ChainHead(rs.getString("tenant_id"), rs.getLong("sequence"), rs.getString("event_hash"));
  private static final String SELECT = "SELECT " + LedgerRows.ENTRY_COLUMNS + " FROM ledger_entry ";
  private static final int STREAM_FETCH_SIZE = 1000;

  private final JdbcTemplate jdbc;

  public LedgerRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  private static final String INSERT_ENTRY =
      "INSERT INTO ledger_entry (" + LedgerRows.ENTRY_COLUMNS + ", recorded_at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  /** Moves many heads at once, each by one entry and each only from where it is expected to be. */
  private static final String ADVANCE_HEADS =
      "UPDATE ledger_chain_head AS h SET sequence = m.to_sequence, event_hash = m.to_hash, updated_at = ?"
          + " FROM unnest(?::text[], ?::bigint[], ?::text[], ?::bigint[], ?::text[])"
          + " AS m(tenant_id, from_sequence, from_hash, to_sequence, to_hash)"
          + " WHERE h.tenant_id = m.tenant_id AND h.sequence = m.from_sequence"
          + " AND h.event_hash = m.from_hash";

  /** Stores a new entry; {@code recordedAt} is kept beside it, outside the hash. */
  public void insert(LedgerEntry e, Instant recordedAt) {
    jdbc.update(INSERT_ENTRY, insertArgs(e, recordedAt));
  }

  /**
   * Stores new entries, in this order, as one JDBC batch (one round trip, not one per entry).
   *
   * @throws org.springframework.dao.DataAccessException as {@link #insert} would, for the first
   *     entry refused; the surrounding transaction must then roll back
   */
  public void insertAll(List<LedgerEntry> entries, Instant recordedAt) {
    if (entries.isEmpty()) {
      return;
    }
    List<Object[]> args = new ArrayList<>(entries.size());
    for (LedgerEntry e : entries) {
      args.add(insertArgs(e, recordedAt));
    }
    jdbc.batchUpdate(INSERT_ENTRY, args);
  }

  private static Object[] insertArgs(LedgerEntry e, Instant recordedAt) {
    return new Object[] {
      e.tenantId(),
      e.sequence(),
      e.eventId(),
      e.mandateId(),
      e.eventType(),
      utc(e.timestamp()),
      e.actor(),
      e.details(),
      e.previousEventHash(),
      e.eventHash(),
      e.kmsSignature(),
      e.keyId(),
      e.hashAlgorithm(),
      e.signingAlgorithm(),
      e.merkleProof() == null ? null : e.merkleProof().leafIndex(),
      e.merkleProof() == null ? null : e.merkleProof().treeSize(),
      e.merkleProof() == null ? null : e.merkleProof().packedPath(),
      utc(recordedAt)
    };
  }

  /**
   * Creates the head rows of {@code create} that are missing (sequence 0, genesis hash), then locks
   * the heads of {@code tenantIds} {@code FOR UPDATE} until the surrounding transaction ends, in
   * ascending tenant order, so that two nodes locking overlapping sets cannot deadlock. At most two
   * statements whatever the number of tenants, one when nothing is to be created: head rows are
   * never deleted, so only a tenant whose chain was empty when last read can lack one.
   *
   * @param create those of {@code tenantIds} that may have no head row yet
   * @return the locked heads by tenant id
   */
  public Map<String, ChainHead> lockHeads(
      Collection<String> tenantIds, Collection<String> create, Instant now) {
    if (tenantIds.isEmpty()) {
      return Map.of();
    }
    if (!create.isEmpty()) {
      jdbc.update(
          "INSERT INTO ledger_chain_head (tenant_id, sequence, event_hash, updated_at)"
              + " SELECT t, 0, ?, ? FROM unnest(?::text[]) AS t ORDER BY t"
              + " ON CONFLICT (tenant_id) DO NOTHING",
          LedgerFormat.GENESIS_HASH,
          utc(now),
          create.stream().distinct().sorted().toArray(String[]::new));
    }
    return heads(
        " ORDER BY tenant_id FOR UPDATE", tenantIds.stream().distinct().sorted().toArray(String[]::new));
  }

  /**
   * Moves the head from {@code from} to the entry just inserted.
   *
   * @throws IllegalStateException if the head is no longer at {@code from}
   */
  public void advanceHead(ChainHead from, LedgerEntry to, Instant now) {
    advanceHeads(List.of(new HeadMove(from, to)), now);
  }

  /** One step of a chain head: from {@code from} to the entry {@code to}, stored right after it. */
  public record HeadMove(ChainHead from, LedgerEntry to) {}

  /**
   * Applies {@code moves} in order, each advancing its tenant's head by one entry as the table's
   * trigger demands. One statement per round, not per move: round <i>r</i> holds every tenant's
   * <i>r</i>-th move of the list, so a batch that adds one entry to each of many chains is one
   * statement, and one that adds <i>k</i> entries to a chain is <i>k</i>.
   *
   * @throws IllegalStateException if a head was not where its move starts
   */
  public void advanceHeads(List<HeadMove> moves, Instant now) {
    List<List<HeadMove>> rounds = new ArrayList<>();
    Map<String, Integer> movesSoFar = new HashMap<>();
    for (HeadMove move : moves) {
      int round = movesSoFar.merge(move.from().tenantId(), 1, Integer::sum) - 1;
      if (round == rounds.size()) {
        rounds.add(new ArrayList<>());
      }
      rounds.get(round).add(move);
    }
    for (List<HeadMove> round : rounds) {
      int n = round.size();
      String[] tenants = new String[n];
      Long[] fromSequences = new Long[n];
      String[] fromHashes = new String[n];
      Long[] toSequences = new Long[n];
      String[] toHashes = new String[n];
      for (int i = 0; i < n; i++) {
        HeadMove move = round.get(i);
        tenants[i] = move.from().tenantId();
        fromSequences[i] = move.from().sequence();
        fromHashes[i] = move.from().eventHash();
        toSequences[i] = move.to().sequence();
        toHashes[i] = move.to().eventHash();
      }
      int updated =
          jdbc.update(ADVANCE_HEADS, utc(now), tenants, fromSequences, fromHashes, toSequences, toHashes);
      if (updated != n) {
        throw new IllegalStateException(
            (n - updated) + " of " + n + " chain heads were not where their moves start");
      }
    }
  }

  /** The heads of those of {@code tenantIds} that have one, by tenant id; one query. */
  public Map<String, ChainHead> findHeads(Collection<String> tenantIds) {
    if (tenantIds.isEmpty()) {
      return Map.of();
    }
    return heads("", tenantIds.stream().distinct().toArray(String[]::new));
  }

  /** The head rows of {@code tenantIds}, by tenant id; {@code suffix} ends the query. */
  private Map<String, ChainHead> heads(String suffix, String[] tenantIds) {
    Map<String, ChainHead> heads = new HashMap<>();
    jdbc.query(
        "SELECT tenant_id, sequence, event_hash FROM ledger_chain_head WHERE tenant_id = ANY (?)" + suffix,
        (RowCallbackHandler) rs -> {
          ChainHead head = HEAD.mapRow(rs, 0);
          heads.put(head.tenantId(), head);
        },
        (Object) tenantIds);
    return heads;
  }

  public Optional<ChainHead> findHead(String tenantId) {
    return jdbc
        .query("SELECT tenant_id, sequence, event_hash FROM ledger_chain_head WHERE tenant_id = ?", HEAD, tenantId)
        .stream()
        .findFirst();
  }

  /**
   * Every tenant with a head row or an entry, sorted. One read of the whole table, at the start: it
   * runs without the sessions' statement timeout, which the table's growth would otherwise
   * outlast.
   */
  public List<String> tenantIds() {
    return withoutStatementTimeout(
        on -> on.queryForList(
            "SELECT tenant_id FROM ledger_chain_head UNION SELECT DISTINCT tenant_id FROM ledger_entry ORDER BY 1",
            String.class));
  }

  /**
   * Runs {@code reads} on one connection with PostgreSQL's {@code statement_timeout} off: for reads
   * of a whole table at the start, which no request waits for and which the table's growth would
   * make outlast the timeout ({@code mandate-registry.database.statement-timeout}). Inside a
   * transaction the timeout stays off until it ends ({@code SET LOCAL}); outside one, the session's
   * own is set back after the reads.
   */
  private <T> T withoutStatementTimeout(Function<JdbcTemplate, T> reads) {
    return jdbc.execute((ConnectionCallback<T>) connection -> {
      JdbcTemplate onIt = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
      if (!connection.getAutoCommit()) {
        onIt.execute("SET LOCAL statement_timeout = 0");
        return reads.apply(onIt);
      }
      onIt.execute("SET statement_timeout = 0");
      try {
        return reads.apply(onIt);
      } finally {
        onIt.execute("RESET statement_timeout");
      }
    });
  }


  /** The stored entries of those of {@code eventIds} that are stored (in any tenant), by event id; one query. */
  public Map<String, LedgerEntry> findByEventIds(Collection<String> eventIds) {
    if (eventIds.isEmpty()) {
      return Map.of();
    }
    Map<String, LedgerEntry> found = new HashMap<>();
    for (LedgerEntry entry :
        jdbc.query(
            SELECT + "WHERE event_id = ANY (?)",
            ENTRY,
            (Object) eventIds.stream().distinct().toArray(String[]::new))) {
      found.put(entry.eventId(), entry);
    }
    return found;
  }

  /** Which of {@code eventIds} are stored (in any tenant). */
  public List<String> storedEventIds(Collection<String> eventIds) {
    if (eventIds.isEmpty()) {
      return List.of();
    }
    return jdbc.queryForList(
        "SELECT event_id FROM ledger_entry WHERE event_id = ANY (?)",
        String.class,
        (Object) eventIds.toArray(String[]::new));
  }

  /** The entry of {@code eventId} if it belongs to {@code tenantId}. */
  public Optional<LedgerEntry> findByEventId(String tenantId, String eventId) {
    return jdbc.query(SELECT + "WHERE tenant_id = ? AND event_id = ?", ENTRY, tenantId, eventId)
        .stream()
        .findFirst();
  }

  /** The tenant's entry at {@code sequence}. */
  public Optional<LedgerEntry> findBySequence(String tenantId, long sequence) {
    return jdbc.query(SELECT + "WHERE tenant_id = ? AND sequence = ?", ENTRY, tenantId, sequence)
        .stream()
        .findFirst();
  }

  /** One page, ascending by sequence, after {@code query.afterSequence()}. */
  public LedgerPage find(LedgerQuery query) {
    StringBuilder sql = new StringBuilder(SELECT).append("WHERE tenant_id = ? AND sequence > ?");
    List<Object> args = new ArrayList<>(List.of(query.tenantId(), query.afterSequence()));
    if (query.mandateId() != null) {
      sql.append(" AND mandate_id = ?");
      args.add(query.mandateId());
    }
    if (query.eventType() != null) {
      sql.append(" AND event_type = ?");
      args.add(query.eventType());
    }
    sql.append(" ORDER BY sequence LIMIT ?");
    args.add(query.limit() + 1);
    List<LedgerEntry> rows = jdbc.query(sql.toString(), ENTRY, args.toArray());
    boolean more = rows.size() > query.limit();
    return new LedgerPage(more ? rows.subList(0, query.limit()) : rows, more);
  }

  public LedgerPage findByTenant(String tenantId, long afterSequence, int limit) {
    return find(LedgerQuery.tenant(tenantId, afterSequence, limit));
  }

  public LedgerPage findByMandate(String tenantId, String mandateId, long afterSequence, int limit) {
    return find(LedgerQuery.mandate(tenantId, mandateId, afterSequence, limit));
  }

  public LedgerPage findByEventType(String tenantId, String eventType, long afterSequence, int limit) {
    return find(LedgerQuery.eventType(tenantId, eventType, afterSequence, limit));
  }

  /**
   * Streams the tenant's whole chain in sequence order, {@value #STREAM_FETCH_SIZE} rows at a time.
   * Call inside a transaction: outside one, the PostgreSQL driver reads every row into memory.
   */
  public void forEachEntry(String tenantId, Consumer<LedgerEntry> action) {
    jdbc.query(
        con -> {
          var ps = con.prepareStatement(LedgerRows.SELECT_TRAIL);
          ps.setFetchSize(STREAM_FETCH_SIZE);
          ps.setString(1, tenantId);
          return ps;
        },
        (RowCallbackHandler) rs -> action.accept(LedgerRows.entry(rs)));
  }

  /**
   * Publishes a signing key, in service from {@code notBefore}. Does nothing if the key id is
   * already known.
   *
   * @return whether the key was new
   */
  public boolean registerKey(LedgerKey key, Instant notBefore) {
    LedgerKey published = LedgerKey.of(key.publicKey(), null, null);
    return jdbc.update(
            "INSERT INTO ledger_signing_key (key_id, public_jwk, signing_algorithm, not_before)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (key_id) DO NOTHING",
            published.keyId(),
            published.toJwkJson(),
            LedgerFormat.SIGNING_ALGORITHM,
            utc(notBefore))
        == 1;
  }

  /**
   * Retires a key at {@code notAfter}: verifiers reject its signatures on events after that time.
   * A key is retired once; the database refuses a second change.
   */
  public void retireKey(String keyId, Instant notAfter) {
    int updated =
        jdbc.update(
            "UPDATE ledger_signing_key SET not_after = ? WHERE key_id = ?", utc(notAfter), keyId);
    if (updated != 1) {
      throw new IllegalArgumentException("no signing key " + keyId);
    }
  }

  /**
   * The latest event time ({@code timestamp}) of the entries signed by {@code keyId}, or empty if it
   * signed none: a verifier refuses any of them dated after the key's retirement. Read at the start
   * when a key is retired: a read of the whole table, without the statement timeout.
   */
  public Optional<Instant> latestEntrySignedBy(String keyId) {
    OffsetDateTime latest =
        withoutStatementTimeout(on -> on.queryForObject(
            "SELECT max(event_timestamp) FROM ledger_entry WHERE key_id = ?", OffsetDateTime.class, keyId));
    return Optional.ofNullable(latest).map(OffsetDateTime::toInstant);
  }

  /** All signing keys with their validity, as published in exports and at {@code GET /v1/ledger/keys}. */
  public LedgerKeySet findKeys() {
    return LedgerKeySet.of(jdbc.query(LedgerRows.SELECT_KEYS, (rs, n) -> LedgerRows.key(rs)));
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}

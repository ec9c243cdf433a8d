package com.mandateregistry.ledger.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.mandateregistry.ledger.format.ExportHeader;
import com.mandateregistry.ledger.format.JcsEncoder;
import com.mandateregistry.ledger.format.LedgerEntryCodec;
import com.mandateregistry.ledger.format.LedgerFormat;
import com.mandateregistry.ledger.format.LedgerJson;
import com.mandateregistry.ledger.format.LedgerKey;
import com.mandateregistry.ledger.format.LedgerKeySet;
import com.mandateregistry.ledger.format.MalformedEntryException;
import com.mandateregistry.ledger.format.MerkleProof;
import com.mandateregistry.ledger.format.MerkleTree;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.security.SignatureException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Verifies an exported trail offline (no database, no network), streaming: it holds a few thousand
 * entries at a time, whatever the length of the trail.
 *
 * <p>The calling thread reads lines and checks the chain strictly in order; a pool of workers (one
 * per core by default) parses, canonicalises, hashes and checks the signature of each entry in
 * parallel, batch by batch. For every entry, in this order, the first rule that fails is reported:
 *
 * <ol>
 *   <li>the line is an entry ({@link FailureKind#MALFORMED_ENTRY}) naming SHA-256 and ES256 or
 *       ES256-MERKLE ({@link FailureKind#UNSUPPORTED_ALGORITHM}), with a well-formed {@code
 *       merkle_proof} exactly when it names ES256-MERKLE ({@link FailureKind#MALFORMED_ENTRY});
 *   <li>its tenant is the trail's ({@link FailureKind#TENANT_MISMATCH});
 *   <li>its sequence is the previous one plus one, starting at 1 ({@link
 *       FailureKind#GAP_IN_SEQUENCE}, {@link FailureKind#DUPLICATE_SEQUENCE}, {@link
 *       FailureKind#OUT_OF_ORDER}; a gap and a reordering are told apart by looking for the missing
 *       number further on);
 *   <li>previous_event_hash is the previous entry's event_hash, or the genesis value ({@link
 *       FailureKind#BROKEN_LINK});
 *   <li>event_hash is the hash of the entry's canonical encoding ({@link FailureKind#HASH_MISMATCH});
 *   <li>key_id names a trusted key ({@link FailureKind#UNKNOWN_KEY}) not retired before the event
 *       ({@link FailureKind#KEY_RETIRED}), and kms_signature is that key's signature ({@link
 *       FailureKind#BAD_SIGNATURE}): for ES256 over the entry's encoding; for ES256-MERKLE over the
 *       batch statement of the root that merkle_proof leads to from event_hash (each distinct batch
 *       signature is checked once and remembered).
 * </ol>
 *
 * After the last entry, the optional expected count and head close the one gap a hash chain has on
 * its own: a trail cut short at the end is still a valid chain ({@link
 * FailureKind#UNEXPECTED_COUNT}, {@link FailureKind#UNEXPECTED_HEAD}).
 */
public final class ChainVerifier {

  /** How signatures are checked. */
  public enum Engine {
    /** {@link P256Verifier}: comb tables over Bouncy Castle field arithmetic, ~28x SunEC. */
    FAST,
    /** {@code java.security.Signature} "NONEwithECDSA" (SunEC): slow, an independent cross-check. */
    JCA
  }

  /** Told about progress now and then, on the calling thread. */
  @FunctionalInterface
  public interface ProgressListener {
    void progress(long entriesVerified, long elapsedNanos);
  }

  private static final int BATCH = 512;

  private final int threads;
  private final Engine engine;
  private final String expectedHead;
  private final Long expectedCount;
  private final long expectedEntrySequence;
  private final String expectedEntryHash;
  private final ProgressListener progress;
  private final long progressEvery;

  private ChainVerifier(Builder builder) {
    this.threads = builder.threads;
    this.engine = builder.engine;
    this.expectedHead = builder.expectedHead;
    this.expectedCount = builder.expectedCount;
    this.expectedEntrySequence = builder.expectedEntrySequence;
    this.expectedEntryHash = builder.expectedEntryHash;
    this.progress = builder.progress;
    this.progressEvery = builder.progressEvery;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options of a {@link ChainVerifier}. */
  public static final class Builder {
    private int threads = Runtime.getRuntime().availableProcessors();
    private Engine engine = Engine.FAST;
    private String expectedHead;
    private Long expectedCount;
    private long expectedEntrySequence;
    private String expectedEntryHash;
    private ProgressListener progress = (n, t) -> {};
    private long progressEvery = 100_000;

    /** Worker threads for hashing and signatures; default: one per available core. */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1");
      }
      this.threads = threads;
      return this;
    }

    public Builder engine(Engine engine) {
      this.engine = Objects.requireNonNull(engine, "engine");
      return this;
    }

    /** The event_hash the last entry must have (known from elsewhere, e.g. the API or a receipt). */
    public Builder expectHead(String eventHash) {
      if (eventHash != null && !LedgerFormat.isHash(eventHash)) {
        throw new IllegalArgumentException("expected head is not 64 lowercase hex characters");
      }
      this.expectedHead = eventHash;
      return this;
    }

    /** The number of entries the trail must have. */
    public Builder expectCount(Long count) {
      if (count != null && count < 0) {
        throw new IllegalArgumentException("expected count is negative");
      }
      this.expectedCount = count;
      return this;
    }

    /**
     * The event_hash the entry at {@code sequence} must have: a head recorded earlier (for example
     * from {@code GET /v1/ledger/head}), checked against a later, longer export. The trail must
     * reach that sequence.
     */
    public Builder expectEntry(long sequence, String eventHash) {
      if (sequence < 1) {
        throw new IllegalArgumentException("expected entry's sequence must be at least 1");
      }
      if (!LedgerFormat.isHash(eventHash)) {
        throw new IllegalArgumentException("expected entry's hash is not 64 lowercase hex characters");
      }
      this.expectedEntrySequence = sequence;
      this.expectedEntryHash = eventHash;
      return this;
    }

    public Builder progress(ProgressListener listener, long everyEntries) {
      this.progress = Objects.requireNonNull(listener, "listener");
      if (everyEntries < 1) {
        throw new IllegalArgumentException("everyEntries must be at least 1");
      }
      this.progressEvery = everyEntries;
      return this;
    }

    public ChainVerifier build() {
      return new ChainVerifier(this);
    }
  }

  /**
   * Verifies an export file (header line, then entries).
   *
   * @param trustedKeys the keys to trust, or {@code null} to trust the keys in the file's header
   * @throws ExportFormatException if the first line is not an export header
   * @throws IOException if the file cannot be read
   */
  public VerificationReport verify(Path exportFile, LedgerKeySet trustedKeys) throws IOException {
    try (InputStream in = Files.newInputStream(exportFile)) {
      return verify(in, trustedKeys);
    }
  }

  /**
   * As {@link #verify(Path, LedgerKeySet)}, from the export's bytes. Each line is decoded strictly:
   * an entry line that is not well-formed UTF-8 is a {@link FailureKind#MALFORMED_ENTRY}.
   */
  public VerificationReport verify(InputStream export, LedgerKeySet trustedKeys) throws IOException {
    return verify(ExportLines.of(export), trustedKeys);
  }

  /**
   * As {@link #verify(Path, LedgerKeySet)}, from text decoded already, positioned at the header
   * line. The bytes were judged by whoever decoded them (a lenient decoder turns ill-formed UTF-8
   * into U+FFFD unnoticed): give the bytes to {@link #verify(InputStream, LedgerKeySet)} instead.
   */
  public VerificationReport verify(BufferedReader export, LedgerKeySet trustedKeys) throws IOException {
    return verify(ExportLines.of(export), trustedKeys);
  }

  private VerificationReport verify(ExportLines export, LedgerKeySet trustedKeys) throws IOException {
    String first = export.next();
    if (first == null) {
      throw new ExportFormatException("the file is empty; an export starts with a header line");
    }
    if (export.problem() != null) {
      throw new ExportFormatException("line 1: " + export.problem());
    }
    ExportHeader header;
    try {
      header = ExportHeader.parse(first);
    } catch (IllegalArgumentException e) {
      throw new ExportFormatException("line 1: " + e.getMessage(), e);
    }
    return verifyEntries(header.tenantId(), trustedKeys != null ? trustedKeys : header.keys(), export, 2);
  }

  /**
   * Verifies entries, one JSON object per line, of {@code tenantId}'s chain from sequence 1.
   *
   * @param firstLine the file line number of the first entry line, for messages
   */
  public VerificationReport verifyEntries(
      String tenantId, LedgerKeySet keys, BufferedReader entries, long firstLine) throws IOException {
    return verifyEntries(tenantId, keys, ExportLines.of(entries), firstLine);
  }

  private VerificationReport verifyEntries(
      String tenantId, LedgerKeySet keys, ExportLines entries, long firstLine) throws IOException {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(keys, "keys");
    Worker worker = new Worker(keys, engine);
    ExecutorService pool = Executors.newFixedThreadPool(threads, daemonThreads());
    try {
      return run(tenantId, keys, entries, firstLine, worker, pool);
    } finally {
      pool.shutdownNow();
    }
  }

  private VerificationReport run(
      String tenantId,
      LedgerKeySet keys,
      ExportLines entries,
      long firstLine,
      Worker worker,
      ExecutorService pool)
      throws IOException {
    long started = System.nanoTime();
    Chain chain = new Chain(tenantId, expectedEntrySequence);
    Deque<Future<Checked[]>> inflight = new ArrayDeque<>();
    int maxInflight = threads * 4;
    long nextLine = firstLine;
    long nextProgress = progressEvery;
    boolean eof = false;
    List<String> keyIds = keys.keys().stream().map(LedgerKey::keyId).toList();
    while (true) {
      if (!eof) {
        String[] lines = new String[BATCH];
        String[] problems = null; // lines that are not well-formed text, rare
        long[] numbers = new long[BATCH];
        int n = 0;
        while (n < BATCH) {
          String line = entries.next();
          if (line == null) {
            eof = true;
            break;
          }
          long number = nextLine++;
          if (entries.problem() != null) {
            if (problems == null) {
              problems = new String[BATCH];
            }
            problems[n] = entries.problem();
          } else if (isBlank(line)) {
            continue;
          }
          lines[n] = line;
          numbers[n] = number;
          n++;
        }
        if (n > 0) {
          int count = n;
          String[] lineProblems = problems;
          inflight.add(pool.submit(() -> worker.checkAll(lines, lineProblems, numbers, count)));
        }
      }
      while (!inflight.isEmpty() && (eof || inflight.size() >= maxInflight)) {
        Checked[] batch = await(inflight.poll());
        for (int i = 0; i < batch.length; i++) {
          Failure failure = chain.accept(batch[i]);
          if (failure == null) {
            if (chain.verified >= nextProgress) {
              progress.progress(chain.verified, System.nanoTime() - started);
              nextProgress += progressEvery;
            }
            continue;
          }
          if (failure.kind() == FailureKind.GAP_IN_SEQUENCE) {
            long wanted = chain.expectedSequence();
            long laterLine = findLater(wanted, batch, i + 1, inflight, entries, nextLine);
            if (laterLine > 0) {
              failure =
                  new Failure(
                      FailureKind.OUT_OF_ORDER,
                      failure.sequence(),
                      failure.eventId(),
                      failure.line(),
                      "expected sequence " + wanted + " here, found " + failure.sequence()
                          + "; sequence " + wanted + " comes later, at line " + laterLine);
            }
          }
          return chain.report(keyIds, failure);
        }
      }
      if (eof && inflight.isEmpty()) {
        break;
      }
    }
    progress.progress(chain.verified, System.nanoTime() - started);
    return chain.report(keyIds, chain.finish(expectedCount, expectedHead, expectedEntryHash));
  }

  /** A line of JSON white space only (space, tab, CR), or empty: not an entry, skipped. */
  static boolean isBlank(String line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c != ' ' && c != '\t' && c != '\r') {
        return false;
      }
    }
    return true;
  }

  private static Checked[] await(Future<Checked[]> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("verification interrupted");
    } catch (ExecutionException e) {
      throw new IllegalStateException("verification worker failed", e.getCause());
    }
  }

  /** The line at which sequence {@code wanted} appears after the current entry, or -1. */
  private static long findLater(
      long wanted,
      Checked[] batch,
      int from,
      Deque<Future<Checked[]>> inflight,
      ExportLines entries,
      long nextLine)
      throws IOException {
    for (int i = from; i < batch.length; i++) {
      if (batch[i].sequence != null && batch[i].sequence == wanted) {
        return batch[i].line;
      }
    }
    for (Future<Checked[]> future : inflight) {
      for (Checked checked : await(future)) {
        if (checked.sequence != null && checked.sequence == wanted) {
          return checked.line;
        }
      }
    }
    long number = nextLine;
    for (String line = entries.next(); line != null; line = entries.next(), number++) {
      Long sequence = sequenceOf(line);
      if (sequence != null && sequence == wanted) {
        return number;
      }
    }
    return -1;
  }

  private static Long sequenceOf(String line) {
    try {
      JsonNode sequence = LedgerJson.mapper().readTree(line).get("sequence");
      return sequence != null && sequence.isIntegralNumber() ? sequence.asLong() : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "ledger-verify-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * The comb tables of the last few keys, kept across verifications (a key's two tables take ~0.4 s
   * to build and 8 MiB). Keyed by kid, which is the key's RFC 7638 thumbprint, checked when the key was read.
   */
  private static final class RecentKeys {
    private static final int SIZE = 4;
    private static final Map<String, P256Verifier> CACHE =
        new java.util.LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, P256Verifier> eldest) {
            return size() > SIZE;
          }
        };

    static P256Verifier verifierFor(LedgerKey key) {
      synchronized (CACHE) {
        P256Verifier cached = CACHE.get(key.keyId());
        if (cached != null) {
          return cached;
        }
      }
      P256Verifier built = P256Verifier.forKey(key.publicKey());
      synchronized (CACHE) {
        CACHE.put(key.keyId(), built);
      }
      return built;
    }
  }

  /** What a worker found out about one line, with no memory of the line itself. */
  private record Checked(
      long line,
      Long sequence,
      String eventId,
      String tenantId,
      String previousHash,
      String eventHash,
      String computedHash,
      FailureKind problem,
      String problemDetail) {}

  /** The in-order part: sequence, tenant, links and hashes, and the workers' verdicts. */
  private static final class Chain {
    final String tenantId;
    long verified;
    long lastSequence;
    long lastLine;
    String lastEventId;
    String headHash = LedgerFormat.GENESIS_HASH;
    /** The sequence whose entry is expected to have a given hash (0: none), and what was found. */
    final long watchedSequence;
    Checked watched;

    Chain(String tenantId, long watchedSequence) {
      this.tenantId = tenantId;
      this.watchedSequence = watchedSequence;
    }

    long expectedSequence() {
      return lastSequence + 1;
    }

    Failure accept(Checked c) {
      if (c.problem == FailureKind.MALFORMED_ENTRY || c.problem == FailureKind.UNSUPPORTED_ALGORITHM) {
        return failure(c, c.problem, c.problemDetail);
      }
      if (!tenantId.equals(c.tenantId)) {
        return failure(c, FailureKind.TENANT_MISMATCH,
            "entry belongs to tenant " + c.tenantId + ", the trail to " + tenantId);
      }
      long expected = expectedSequence();
      if (c.sequence != expected) {
        if (c.sequence > expected) {
          return failure(c, FailureKind.GAP_IN_SEQUENCE,
              "expected sequence " + expected + ", found " + c.sequence + "; sequence " + expected
                  + (c.sequence == expected + 1 ? " is" : " to " + (c.sequence - 1) + " are")
                  + " missing");
        }
        if (c.sequence == lastSequence) {
          return failure(c, FailureKind.DUPLICATE_SEQUENCE,
              "sequence " + c.sequence + " appears again (first at line " + lastLine + ", event "
                  + lastEventId + ")");
        }
        return failure(c, FailureKind.OUT_OF_ORDER,
            "expected sequence " + expected + ", found " + c.sequence + ", which belongs earlier");
      }
      if (!headHash.equals(c.previousHash)) {
        return failure(c, FailureKind.BROKEN_LINK,
            "previous_event_hash is " + c.previousHash + ", but the "
                + (expected == 1 ? "genesis value" : "event_hash of sequence " + lastSequence)
                + " is " + headHash);
      }
      if (!c.computedHash.equals(c.eventHash)) {
        return failure(c, FailureKind.HASH_MISMATCH,
            "event_hash is " + c.eventHash + ", recomputed " + c.computedHash);
      }
      if (c.problem != null) {
        return failure(c, c.problem, c.problemDetail);
      }
      verified++;
      lastSequence = c.sequence;
      lastLine = c.line;
      lastEventId = c.eventId;
      headHash = c.eventHash;
      if (c.sequence == watchedSequence) {
        watched = c;
      }
      return null;
    }

    Failure finish(Long expectedCount, String expectedHead, String expectedEntryHash) {
      if (expectedCount != null && verified != expectedCount) {
        return new Failure(FailureKind.UNEXPECTED_COUNT, verified == 0 ? null : lastSequence,
            lastEventId, lastLine,
            "the trail has " + verified + " entries, expected " + expectedCount
                + (verified < expectedCount ? " (entries missing at the end?)" : ""));
      }
      if (expectedHead != null && !expectedHead.equals(headHash)) {
        return new Failure(FailureKind.UNEXPECTED_HEAD, verified == 0 ? null : lastSequence,
            lastEventId, lastLine,
            "the trail ends with event_hash " + headHash + ", expected " + expectedHead
                + " (entries missing at the end?)");
      }
      if (expectedEntryHash != null && watched == null) {
        return new Failure(FailureKind.UNEXPECTED_HEAD, verified == 0 ? null : lastSequence,
            lastEventId, lastLine,
            "the trail ends at sequence " + lastSequence + ", before the expected entry at sequence "
                + watchedSequence + " (entries missing at the end?)");
      }
      if (expectedEntryHash != null && !expectedEntryHash.equals(watched.eventHash)) {
        return new Failure(FailureKind.UNEXPECTED_HEAD, watched.sequence, watched.eventId, watched.line,
            "the entry at sequence " + watchedSequence + " has event_hash " + watched.eventHash
                + ", expected " + expectedEntryHash + " (the trail was rewritten from there or earlier)");
      }
      return null;
    }

    VerificationReport report(List<String> keyIds, Failure failure) {
      return new VerificationReport(
          tenantId, verified, lastSequence, headHash, keyIds, Optional.ofNullable(failure));
    }

    private static Failure failure(Checked c, FailureKind kind, String detail) {
      return new Failure(kind, c.sequence, c.eventId, c.line, detail);
    }
  }

  /** The parallel part: parse, canonicalise, hash, check the signature. Thread-safe. */
  private static final class Worker {
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Per-thread buffers, reused entry after entry. */
    private static final class Scratch {
      final JcsEncoder encoder = JcsEncoder.strict();
      final MessageDigest sha256;

      Scratch() {
        try {
          sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
          throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
      }
    }

    private final LedgerKeySet keys;
    private final Engine engine;
    private final Map<String, P256Verifier> fast = new ConcurrentHashMap<>();
    private static final int MAX_REMEMBERED_BATCHES = 100_000;
    private final Map<String, Boolean> verifiedBatches = new ConcurrentHashMap<>();

    Worker(LedgerKeySet keys, Engine engine) {
      this.keys = keys;
      this.engine = engine;
    }

    Checked[] checkAll(String[] lines, String[] problems, long[] numbers, int count) {
      Checked[] out = new Checked[count];
      for (int i = 0; i < count; i++) {
        out[i] = check(lines[i], problems == null ? null : problems[i], numbers[i]);
      }
      return out;
    }

    /**
     * @param textProblem why the line is not well-formed text (then {@code line} serves only to
     *     name the entry), or null
     */
    Checked check(String line, String textProblem, long number) {
      JsonNode node;
      try {
        node = LedgerJson.mapper().readTree(line);
      } catch (IOException e) {
        return malformed(number, null, null, textProblem != null ? textProblem
            : "line is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
      }
      Long sequence = null;
      String eventId = null;
      if (node != null && node.isObject()) {
        JsonNode s = node.get("sequence");
        sequence = s != null && s.isIntegralNumber() && s.canConvertToLong() && s.asLong() >= 1 ? s.asLong() : null;
        JsonNode e = node.get("event_id");
        eventId = e != null && e.isTextual() ? e.asText() : null;
      }
      if (textProblem != null) {
        return malformed(number, sequence, eventId, textProblem);
      }
      try {
        LedgerEntryCodec.checkMembers(node);
        String eventHash = text(node, "event_hash");
        String signature = text(node, "kms_signature");
        String previous = node.get("previous_event_hash").asText();
        if (!LedgerFormat.isHash(previous)) {
          throw new MalformedEntryException("previous_event_hash is not 64 lowercase hex characters");
        }
        if (!LedgerFormat.isHash(eventHash)) {
          throw new MalformedEntryException("event_hash is not 64 lowercase hex characters");
        }
        Instant timestamp;
        try {
          timestamp = LedgerFormat.parseTimestamp(node.get("timestamp").asText());
        } catch (IllegalArgumentException e) {
          throw new MalformedEntryException(e.getMessage(), e);
        }
        String tenant = node.get("tenant_id").asText();
        // rule 1 ends here: every string well-formed Unicode, and the hashed members canonicalised
        // (the strict encoder refuses an unpaired surrogate, from a \\uD800-style escape)
        JsonNode proofNode = node.get("merkle_proof");
        if (hasUnpairedSurrogate(signature) || (proofNode != null && hasUnpairedSurrogate(proofNode))) {
          throw new MalformedEntryException("a string holds an unpaired surrogate, which is not Unicode");
        }
        Scratch scratch = SCRATCH.get();
        LedgerEntryCodec.encodeEntry(node, scratch.encoder);
        scratch.encoder.updateDigest(scratch.sha256);
        byte[] digest = scratch.sha256.digest();
        String computed = LedgerFormat.hex(digest);
        String hashAlgorithm = node.get("hash_algorithm").asText();
        String signingAlgorithm = node.get("signing_algorithm").asText();
        boolean batchSigned = LedgerFormat.SIGNING_ALGORITHM_MERKLE.equals(signingAlgorithm);
        if (!LedgerFormat.HASH_ALGORITHM.equals(hashAlgorithm)
            || !(batchSigned || LedgerFormat.SIGNING_ALGORITHM.equals(signingAlgorithm))) {
          return new Checked(number, sequence, eventId, tenant, previous, eventHash, null,
              FailureKind.UNSUPPORTED_ALGORITHM,
              "hash_algorithm " + hashAlgorithm + " / signing_algorithm " + signingAlgorithm
                  + "; the format knows " + LedgerFormat.HASH_ALGORITHM + " / "
                  + LedgerFormat.SIGNING_ALGORITHM + " or " + LedgerFormat.SIGNING_ALGORITHM_MERKLE);
        }
        if (batchSigned && proofNode == null) {
          throw new MalformedEntryException("signing_algorithm " + signingAlgorithm
              + " needs the member \"merkle_proof\"");
        }
        if (!batchSigned && proofNode != null) {
          throw new MalformedEntryException("member \"merkle_proof\" on an entry signed on its own ("
              + signingAlgorithm + ")");
        }
        MerkleProof proof = batchSigned ? MerkleProof.fromObject(proofNode) : null;
        FailureKind problem = null;
        String detail = null;
        if (computed.equals(eventHash)) {
          String keyId = node.get("key_id").asText();
          Optional<LedgerKey> key = keys.find(keyId);
          if (key.isEmpty()) {
            problem = FailureKind.UNKNOWN_KEY;
            detail = "key_id " + keyId + " is not among the trusted keys " + keyIdsOf(keys);
          } else if (key.get().retiredBefore(timestamp)) {
            problem = FailureKind.KEY_RETIRED;
            detail = "key " + keyId + " was retired at " + key.get().notAfter().orElseThrow()
                + ", before the event at " + node.get("timestamp").asText();
          } else {
            // ES256 signs the entry's digest; ES256-MERKLE the digest of its batch's statement
            byte[] signed = digest;
            String over = "this entry";
            if (batchSigned) {
              byte[] root = MerkleTree.rootFromPath(digest, proof.leafIndex(), proof.treeSize(), proof.pathBytes());
              if (root == null) {
                problem = FailureKind.BAD_SIGNATURE;
                detail = "merkle_proof cannot belong to a tree of " + proof.treeSize() + " leaves: "
                    + proof.path().size() + " path elements for leaf " + proof.leafIndex();
              } else {
                scratch.sha256.update(LedgerFormat.batchStatement(proof.treeSize(), root));
                signed = scratch.sha256.digest();
                over = "the batch statement of the root " + LedgerFormat.hex(root) + " (tree of "
                    + proof.treeSize() + ") that merkle_proof leads to";
              }
            }
            if (problem == null) {
              try {
                if (batchSigned) {
                  verifyBatchSignature(key.get(), signed, signature);
                } else {
                  verifySignature(key.get(), signed, LedgerFormat.unbase64Url(signature));
                }
              } catch (IllegalArgumentException e) {
                problem = FailureKind.BAD_SIGNATURE;
                detail = "kms_signature is not unpadded base64url";
              } catch (GeneralSecurityException e) {
                problem = FailureKind.BAD_SIGNATURE;
                detail = "kms_signature is not a valid ES256 signature of key " + keyId + " over " + over
                    + " (" + e.getMessage() + ")";
              }
            }
          }
        }
        return new Checked(number, sequence, eventId, tenant, previous, eventHash, computed, problem, detail);
      } catch (MalformedEntryException e) {
        return malformed(number, sequence, eventId, e.getMessage());
      }
    }

    /**
     * A batch signature covers many entries (of this and other tenants); each (key, signature,
     * statement) is checked once. Only successes are remembered, and the memory is bounded.
     */
    private void verifyBatchSignature(LedgerKey key, byte[] statementDigest, String signature)
        throws GeneralSecurityException {
      String id = key.keyId() + ' ' + signature + ' ' + LedgerFormat.hex(statementDigest);
      if (verifiedBatches.containsKey(id)) {
        return;
      }
      verifySignature(key, statementDigest, LedgerFormat.unbase64Url(signature));
      if (verifiedBatches.size() >= MAX_REMEMBERED_BATCHES) {
        verifiedBatches.clear();
      }
      verifiedBatches.put(id, Boolean.TRUE);
    }

    private void verifySignature(LedgerKey key, byte[] digest, byte[] der) throws GeneralSecurityException {
      if (engine == Engine.FAST) {
        fast.computeIfAbsent(key.keyId(), id -> RecentKeys.verifierFor(key)).verifyDigest(digest, der);
      } else {
        Signature jca = Signature.getInstance("NONEwithECDSA");
        jca.initVerify(key.publicKey());
        jca.update(digest);
        if (!jca.verify(der)) {
          throw new SignatureException("signature does not verify");
        }
      }
    }

    private static boolean hasUnpairedSurrogate(JsonNode node) {
      if (node.isTextual()) {
        return hasUnpairedSurrogate(node.textValue());
      }
      for (java.util.Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> member = it.next();
        if (hasUnpairedSurrogate(member.getKey()) || hasUnpairedSurrogate(member.getValue())) {
          return true;
        }
      }
      for (JsonNode element : node.isArray() ? node : List.<JsonNode>of()) {
        if (hasUnpairedSurrogate(element)) {
          return true;
        }
      }
      return false;
    }

    private static boolean hasUnpairedSurrogate(String s) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else if (Character.isSurrogate(c)) {
          return true;
        }
      }
      return false;
    }

    private static String keyIdsOf(LedgerKeySet keys) {
      return keys.keys().stream().map(LedgerKey::keyId).toList().toString();
    }

    private static String text(JsonNode node, String name) throws MalformedEntryException {
      JsonNode value = node.get(name);
      if (value == null || !value.isTextual()) {
        throw new MalformedEntryException("missing or non-string member \"" + name + "\"");
      }
      return value.asText();
    }

    private static Checked malformed(long number, Long sequence, String eventId, String detail) {
      return new Checked(number, sequence, eventId, null, null, null, null,
          FailureKind.MALFORMED_ENTRY, detail);
    }
  }
}

package com.mandateregistry.ledger.bench;

import com.mandateregistry.ledger.PendingEntry;
import com.mandateregistry.ledger.cli.LedgerCli;
import com.mandateregistry.ledger.format.ExportHeader;
import com.mandateregistry.ledger.format.LedgerEntry;
import com.mandateregistry.ledger.format.LedgerEntryCodec;
import com.mandateregistry.ledger.format.LedgerFormat;
import com.mandateregistry.ledger.format.LedgerJson;
import com.mandateregistry.ledger.format.LedgerKey;
import com.mandateregistry.ledger.format.LedgerKeySet;
import com.mandateregistry.ledger.format.MerkleProof;
import com.mandateregistry.ledger.format.MerkleTree;
import com.mandateregistry.ledger.format.UnsignedEntry;
import com.mandateregistry.ledger.testsupport.Trails;
import com.mandateregistry.ledger.verify.FastTestSigner;
import com.sun.management.OperatingSystemMXBean;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;

/**
 * Test-only benchmark (a main class, not a unit test): writes a trail of N signed entries (default
 * 1,000,000) to a temporary file, then times {@code ledger verify FILE --expect-count N} in-process,
 * the way the CLI runs it, R times (default 3), and prints each time and the median.
 *
 * <pre>
 * java -cp … com.mandateregistry.ledger.bench.LedgerVerifyBenchmark [N] [R] [FILE] [ENGINE] [SIGNING]
 * </pre>
 *
 * With FILE the trail is written there and kept (otherwise a temporary file is deleted at the end);
 * if FILE already holds a trail (is not empty), it is verified as it is, without writing a new one,
 * so that one trail can be timed many times. ENGINE is the {@code --engine} of {@code ledger
 * verify}: FAST (default) or JCA (SunEC, slow). Each run also prints the CPU time the process used
 * and what share of all cores that is: on a shared machine, a share well below 100% means other
 * work competed for the cores.
 *
 * <p>SIGNING says how the generated entries are signed: {@code per-entry} (default; format v1,
 * {@code ES256}), {@code batch-own} (format v2, {@code ES256-MERKLE}: batches of 100 entries all of
 * this tenant, so one signature per 100 entries, the best case for a verifier) or {@code
 * batch-shared} (format v2: every entry is the only one of this tenant in its batch of 100, the 99
 * others standing for other tenants' entries, so one signature and one 7-element proof per entry,
 * the worst case).
 *
 * See BENCHMARKS.md, "Audit ledger: offline verification of 1,000,000 entries", for the exact
 * command ({@code bench/ledger-verify.sh} runs it).
 */
public final class LedgerVerifyBenchmark {

  private static final int BATCH = 1000;

  public static void main(String[] args) throws Exception {
    int entries = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path file = args.length > 2 ? Path.of(args[2]) : Files.createTempFile("ledger-bench-", ".jsonl");
    String engine = args.length > 3 ? args[3] : "FAST";
    String signing = args.length > 4 ? args[4] : "per-entry";
    if (!List.of("per-entry", "batch-own", "batch-shared").contains(signing)) {
      throw new IllegalArgumentException("SIGNING is per-entry, batch-own or batch-shared: " + signing);
    }
    System.out.printf("java %s, %d cores, max heap %d MiB%n", System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);

    if (Files.exists(file) && Files.size(file) > 0) {
      System.out.printf("verifying the existing trail %s, %,d MiB%n", file, Files.size(file) >> 20);
    } else {
      long started = System.nanoTime();
      generate(file, entries, signing);
      System.out.printf("generated %,d entries (%s), %,d MiB, in %.1f s: %s%n", entries, signing,
          Files.size(file) >> 20, (System.nanoTime() - started) / 1e9, file);
    }
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    int cores = Runtime.getRuntime().availableProcessors();

    double[] seconds = new double[runs];
    for (int run = 0; run < runs; run++) {
      StringWriter out = new StringWriter();
      CommandLine cli = LedgerCli.commandLine(new LedgerCli());
      cli.setOut(new PrintWriter(out, true));
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      int code = cli.execute("verify", "--quiet", "--engine", engine, "--expect-count", String.valueOf(entries),
          file.toString());
      seconds[run] = (System.nanoTime() - t0) / 1e9;
      double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
      System.out.printf("run %d: %.2f s (%,.0f entries/s), CPU %.1f s (%.0f%% of %d cores), exit %d: %s", run + 1,
          seconds[run], entries / seconds[run], cpu, 100 * cpu / seconds[run] / cores, cores, code, out);
      if (code != LedgerCli.INTACT) {
        throw new IllegalStateException("verification failed");
      }
    }
    double[] sorted = seconds.clone();
    Arrays.sort(sorted);
    double median = runs % 2 == 1 ? sorted[runs / 2] : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;
    System.out.printf("median of %d runs (engine %s): %.2f s for %,d entries (%,.0f entries/s)%n", runs, engine,
        median, entries, entries / median);
    if (args.length <= 2) {
      Files.delete(file);
    }
  }

  /** The size of the append batches of the batch-signed trails, as the service's ledger uses. */
  private static final int TREE = 100;

  /** Chains entries in order (hashes need the previous hash) and signs them on all cores. */
  private static void generate(Path file, int count, String signing) throws Exception {
    String algorithm = signing.equals("per-entry")
        ? LedgerFormat.SIGNING_ALGORITHM : LedgerFormat.SIGNING_ALGORITHM_MERKLE;
    // batch-shared: the 99 other leaves of every tree are fixed, so the path of position m is the
    // same for every entry placed there (a path never holds the leaf's own hash)
    List<byte[]> others = new ArrayList<>(TREE);
    for (int i = 0; i < TREE; i++) {
      others.add(LedgerFormat.sha256(("another tenant's entry " + i).getBytes(StandardCharsets.US_ASCII)));
    }
    List<List<byte[]>> sharedPaths = MerkleTree.build(others).paths();
    FastTestSigner signer = FastTestSigner.generate();
    String tenant = "tnt_01JNB6TQ2R8S0Y4K7M9P3W5X6Z";
    ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
    try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      writer.write(new ExportHeader(tenant, Instant.parse("2025-06-01T00:00:00Z"), "database",
          LedgerKeySet.of(List.of(LedgerKey.of(signer.publicKey(), Trails.T0, null)))).toJsonLine());
      writer.write('\n');
      Deque<Future<List<String>>> pending = new ArrayDeque<>();
      String previous = LedgerFormat.GENESIS_HASH;
      for (int start = 0; start < count; start += BATCH) {
        List<UnsignedEntry> batch = new ArrayList<>(BATCH);
        List<byte[]> encoded = new ArrayList<>(BATCH);
        List<String> hashes = new ArrayList<>(BATCH);
        for (int i = start; i < Math.min(count, start + BATCH); i++) {
          PendingEntry p = Trails.event(tenant, i);
          UnsignedEntry u = new UnsignedEntry(i + 1, p.eventId(), p.tenantId(), p.mandateId(), p.eventType(),
              p.timestamp(), p.actor(), p.details(), previous, signer.keyId(), LedgerFormat.HASH_ALGORITHM,
              algorithm);
          byte[] bytes = LedgerEntryCodec.encode(u);
          previous = LedgerFormat.hex(LedgerFormat.sha256(bytes));
          batch.add(u);
          encoded.add(bytes);
          hashes.add(previous);
        }
        int first = start;
        pending.add(pool.submit(() -> {
          List<String> lines = new ArrayList<>(batch.size());
          if (signing.equals("batch-own")) {
            for (int from = 0; from < batch.size(); from += TREE) {
              List<byte[]> leaves = new ArrayList<>();
              for (int i = from; i < Math.min(batch.size(), from + TREE); i++) {
                leaves.add(LedgerFormat.unhex(hashes.get(i)));
              }
              MerkleTree.Tree tree = MerkleTree.build(leaves);
              String signature = LedgerFormat.base64Url(
                  signer.sign(LedgerFormat.batchStatement(leaves.size(), tree.root())).der());
              List<List<byte[]>> paths = tree.paths();
              for (int k = 0; k < leaves.size(); k++) {
                lines.add(LedgerJson.toJsonLine(LedgerEntry.of(batch.get(from + k), hashes.get(from + k), signature,
                    MerkleProof.of(k, leaves.size(), paths.get(k)))));
              }
            }
            return lines;
          }
          for (int i = 0; i < batch.size(); i++) {
            if (signing.equals("per-entry")) {
              String signature = LedgerFormat.base64Url(signer.sign(encoded.get(i)).der());
              lines.add(LedgerJson.toJsonLine(LedgerEntry.of(batch.get(i), hashes.get(i), signature)));
            } else {
              int m = (first + i) % TREE;
              byte[] root = MerkleTree.rootFromPath(LedgerFormat.unhex(hashes.get(i)), m, TREE, sharedPaths.get(m));
              String signature = LedgerFormat.base64Url(signer.sign(LedgerFormat.batchStatement(TREE, root)).der());
              lines.add(LedgerJson.toJsonLine(LedgerEntry.of(batch.get(i), hashes.get(i), signature,
                  MerkleProof.of(m, TREE, sharedPaths.get(m)))));
            }
          }
          return lines;
        }));
        while (pending.size() > 8 || (!pending.isEmpty() && pending.peek().isDone())) {
          for (String line : pending.poll().get()) {
            writer.write(line);
            writer.write('\n');
          }
        }
      }
      while (!pending.isEmpty()) {
        for (String line : pending.poll().get()) {
          writer.write(line);
          writer.write('\n');
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}

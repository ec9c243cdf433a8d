package com.mandateregistry.ledger.cli;

import com.mandateregistry.ledger.format.LedgerFormat;
import com.mandateregistry.ledger.format.LedgerKeySet;
import com.mandateregistry.ledger.verify.ChainVerifier;
import com.mandateregistry.ledger.verify.VerificationReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ledger verify}: checks an export offline and names the first broken entry. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verifies an export offline (no database, no network): sequence, links, hashes and"
          + " signatures of every entry. Prints the number of entries verified, or the first broken"
          + " entry (sequence, event id, line, what is wrong).",
      "",
      "A hash chain cannot tell that entries were cut off its end: pass --expect-head and/or"
          + " --expect-count, known from elsewhere, to close that gap."
    })
final class VerifyCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "EXPORT", description = "The export file (JSON Lines); - for standard input.")
  String export;

  @Option(
      names = "--keys",
      paramLabel = "JWKS",
      description = "Trust only the keys of this JWK set file ({\"keys\":[…]}, or a bare array [JWK, …])"
          + " instead of the export's header.")
  Path keysFile;

  @Option(names = "--expect-head", paramLabel = "HASH", description = "The event_hash the last entry must have.")
  String expectHead;

  @Option(names = "--expect-count", paramLabel = "N", description = "The number of entries the trail must have.")
  Long expectCount;

  @Option(
      names = "--expect-entry",
      paramLabel = "SEQ:HASH",
      description = "The event_hash the entry at sequence SEQ must have: a head recorded earlier"
          + " (GET /v1/ledger/head), checked against a later, longer export.")
  String expectEntry;

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores, ${DEFAULT-VALUE}).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(
      names = "--engine",
      paramLabel = "ENGINE",
      description = "Signature check: FAST (default) or JCA (java.security, slow; an independent cross-check).")
  ChainVerifier.Engine engine = ChainVerifier.Engine.FAST;

  @Option(names = {"-q", "--quiet"}, description = "No progress or notes on standard error.")
  boolean quiet;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (expectHead != null && !LedgerFormat.isHash(expectHead)) {
      throw new ParameterException(spec.commandLine(), "--expect-head must be 64 lowercase hex characters");
    }
    if (expectCount != null && expectCount < 0) {
      throw new ParameterException(spec.commandLine(), "--expect-count must not be negative");
    }
    long entrySequence = 0;
    String entryHash = null;
    if (expectEntry != null) {
      int colon = expectEntry.indexOf(':');
      try {
        entrySequence = Long.parseLong(expectEntry.substring(0, Math.max(colon, 0)));
      } catch (NumberFormatException e) {
        entrySequence = 0;
      }
      entryHash = expectEntry.substring(colon + 1);
      if (colon < 0 || entrySequence < 1 || !LedgerFormat.isHash(entryHash)) {
        throw new ParameterException(spec.commandLine(),
            "--expect-entry must be SEQ:HASH, a sequence ≥ 1 and 64 lowercase hex characters: " + expectEntry);
      }
    }
    if (threads < 1) {
      throw new ParameterException(spec.commandLine(), "--threads must be at least 1");
    }
    LedgerKeySet keys = null;
    if (keysFile != null) {
      try {
        keys = LedgerKeySet.parse(Files.readString(keysFile, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new IOException("--keys " + keysFile + ": " + e.getMessage(), e);
      }
    }
    if (!quiet) {
      err.println(keys == null
          ? "note: trusting the keys in the export's header; pin keys obtained elsewhere with --keys"
          : "trusting keys " + keys.keys().stream().map(k -> k.keyId()).toList() + " from " + keysFile);
      if (expectHead == null && expectCount == null && expectEntry == null) {
        err.println("note: without --expect-head or --expect-count, entries cut off the end of the"
            + " trail cannot be detected");
      }
      err.flush();
    }
    long started = System.nanoTime();
    ChainVerifier.Builder builder =
        ChainVerifier.builder()
            .threads(threads)
            .engine(engine)
            .expectHead(expectHead)
            .expectCount(expectCount)
            .progress((n, elapsed) -> {
              if (!quiet && n >= 100_000) {
                err.printf("verified %,d entries (%,.0f/s)%n", n, n / Math.max(elapsed / 1e9, 1e-9));
                err.flush();
              }
            }, 100_000);
    if (entryHash != null) {
      builder.expectEntry(entrySequence, entryHash);
    }
    ChainVerifier verifier = builder.build();
    VerificationReport report;
    try (InputStream in = open(export)) {
      report = verifier.verify(in, keys); // bytes: each line is decoded strictly
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    if (report.intact()) {
      out.printf("INTACT: %d entries of tenant %s verified (head: sequence %d, event_hash %s) in %.1f s%n",
          report.entriesVerified(), report.tenantId(), report.headSequence(), report.headHash(), seconds);
      out.flush();
      return LedgerCli.INTACT;
    }
    out.println("BROKEN: " + report.failure().orElseThrow().describe());
    out.println("  " + report.entriesVerified() + " entries of tenant " + report.tenantId()
        + " verified before it");
    out.flush();
    return LedgerCli.BROKEN;
  }

  private static InputStream open(String export) throws IOException {
    if ("-".equals(export)) {
      return System.in;
    }
    Path file = Path.of(export);
    if (Files.isDirectory(file)) {
      throw new IOException("not a file but a directory: " + file);
    }
    return Files.newInputStream(file);
  }
}

package com.mandateregistry.ledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.mandateregistry.ledger.ChainHead;
import com.mandateregistry.ledger.EntrySealer;
import com.mandateregistry.ledger.format.LedgerEntry;
import com.mandateregistry.ledger.format.LedgerKeySet;
import com.mandateregistry.ledger.testsupport.TestSigner;
import com.mandateregistry.ledger.testsupport.Trails;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code ledger export} does when its output or its source fails part-way, or the keys change
 * while it pages: an export is done (exit 0) only when every byte reached its output, a failed
 * export leaves the previous file as it was, and the header holds every key the entries name. And
 * the file {@code -o} leaves: the mode a new file gets, or that of the export it replaces; through
 * a symbolic link, the file it names, the link kept; nothing else behind when the export is stopped
 * by a signal.
 */
class ExportFailuresTest {

  private static final String TENANT = "tnt_A";
  private static TestSigner signer;
  private static TestSigner rotated;
  private static List<LedgerEntry> chain;
  private static List<LedgerEntry> rotatedChain;
  private static LedgerKeySet keys;

  @TempDir Path dir;

  private StubLedgerApi api;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void trail() {
    signer = TestSigner.generate();
    rotated = TestSigner.generate();
    chain = Trails.chain(TENANT, 25, signer);
    keys = LedgerKeySet.of(List.of(signer.ledgerKey(Trails.T0)));
    // 15 entries signed by the first key, then a rotation: 10 more signed by the new key
    rotatedChain = new ArrayList<>();
    ChainHead head = ChainHead.empty(TENANT);
    for (int i = 0; i < 25; i++) {
      LedgerEntry e = Trails.seal(head, Trails.event(TENANT, i), i < 15 ? signer : rotated);
      rotatedChain.add(e);
      head = EntrySealer.headAfter(e);
    }
  }

  @AfterEach
  void stop() {
    if (api != null) {
      api.close();
    }
  }

  /** Standard output that cannot be written (a full disk, a closed pipe): the export must not say "done". */
  @Test
  void exportToStandardOutput_thatCannotBeWritten_isNotDone() throws Exception {
    serve(chain, keys, keys, -1);
    Path keyFile = Files.writeString(dir.resolve("api-key"), "s3cret-key\n");
    PrintStream original = System.out;
    OutputStream full = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("No space left on device");
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        throw new IOException("No space left on device");
      }
    };
    int code;
    try {
      System.setOut(new PrintStream(full, true));
      code = run("export", "--tenant", TENANT, "--api", api.base(), "--api-key-file", keyFile.toString());
    } finally {
      System.setOut(original);
    }
    assertThat(code)
        .as("exit code of an export whose every byte was lost; stderr: %s", err)
        .isEqualTo(LedgerCli.ERROR);
  }

  /**
   * The source fails after the first page (HTTP 500): the export exits 3 and leaves the previous
   * export as it was, rather than a shorter trail that would verify.
   */
  @Test
  void aFailedExport_doesNotLeaveATruncatedExportThatVerifiesIntact() throws Exception {
    Path keyFile = Files.writeString(dir.resolve("api-key"), "s3cret-key\n");
    Path export = dir.resolve("trail.jsonl");
    serve(chain, keys, keys, -1);
    assertThat(run("export", "--tenant", TENANT, "--api", api.base(), "--api-key-file", keyFile.toString(),
        "--page-size", "10", "-o", export.toString())).isEqualTo(LedgerCli.INTACT);
    assertThat(Files.readAllLines(export)).hasSize(26);
    api.close();

    serve(chain, keys, keys, 2); // the second events page answers 500
    int code = run("export", "--tenant", TENANT, "--api", api.base(), "--api-key-file", keyFile.toString(),
        "--page-size", "10", "-o", export.toString());
    assertThat(code).as(err.toString()).isEqualTo(LedgerCli.ERROR);

    assertThat(Files.readAllLines(export)).as("the previous export, untouched").hasSize(26);
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).as("no partial file left").containsExactlyInAnyOrder(
          "api-key", "trail.jsonl");
    }
    assertThat(run("verify", "-q", export.toString())).isEqualTo(LedgerCli.INTACT);
  }

  /**
   * A key added while the export pages (a rolling restart onto a rotated signing key): the keys are
   * read after the last page, so the header holds it and the genuine trail verifies.
   */
  @Test
  void aKeyAddedDuringAnApiExport_isInTheHeader() throws Exception {
    LedgerKeySet before = keys;
    LedgerKeySet after =
        LedgerKeySet.of(List.of(signer.ledgerKey(Trails.T0), rotated.ledgerKey(Trails.T0.plusSeconds(14))));
    serve(rotatedChain, before, after, -1);
    Path keyFile = Files.writeString(dir.resolve("api-key"), "s3cret-key\n");
    Path export = dir.resolve("rotated.jsonl");
    assertThat(run("export", "--tenant", TENANT, "--api", api.base(), "--api-key-file", keyFile.toString(),
        "--page-size", "10", "-o", export.toString())).isEqualTo(LedgerCli.INTACT);
    int verdict = run("verify", "-q", export.toString());
    assertThat(verdict).as(out.toString()).isEqualTo(LedgerCli.INTACT);
  }

  /** An export over an existing file that others may read (an auditor's share, 0644) keeps its mode. */
  @Test
  void reExportingOverAReadableFile_keepsItReadable() throws Exception {
    serve(chain, keys, keys, -1);
    Path keyFile = Files.writeString(dir.resolve("api-key"), "s3cret-key\n");
    Path export = dir.resolve("trail.jsonl");
    Files.writeString(export, "old\n");
    Files.setPosixFilePermissions(export, PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(run("export", "-q", "--tenant", TENANT, "--api", api.base(), "--api-key-file", keyFile.toString(),
        "-o", export.toString())).as(err.toString()).isEqualTo(LedgerCli.INTACT);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(export)))
        .as("mode of the re-exported file").isEqualTo("rw-r--r--");
  }

  /** A new export gets the mode any new file gets under the umask. */
  @Test
  void aNewExport_getsTheUsualModeForANewFile() throws Exception {
    serve(chain, keys, keys, -1);
    Path keyFile = Files.writeString(dir.resolve("api-key"), "s3cret-key\n");
    Path export = dir.resolve("new.jsonl");
    Path reference = Files.createFile(dir.resolve("reference"));
    assertThat(run("export", "-q", "--tenant", TENANT, "--api", api.base(), "--api-key-file", keyFile.toString(),
        "-o", export.toString())).as(err.toString()).isEqualTo(LedgerCli.INTACT);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(export)))
        .as("mode of a new export (a file created as Files.newOutputStream creates one)")
        .isEqualTo(PosixFilePermissions.toString(Files.getPosixFilePermissions(reference)));
  }

  /** -o naming a symbolic link (latest.jsonl -> archive/2026-12.jsonl): the export goes where it points. */
  @Test
  void anExportToASymlink_writesItsTarget_andKeepsTheLink() throws Exception {
    serve(chain, keys, keys, -1);
    Path keyFile = Files.writeString(dir.resolve("api-key"), "s3cret-key\n");
    Path archive = Files.createDirectories(dir.resolve("archive"));
    Path target = Files.writeString(archive.resolve("2026-12.jsonl"), "old\n");
    Path link = Files.createSymbolicLink(dir.resolve("latest.jsonl"), target);
    assertThat(run("export", "-q", "--tenant", TENANT, "--api", api.base(), "--api-key-file", keyFile.toString(),
        "-o", link.toString())).as(err.toString()).isEqualTo(LedgerCli.INTACT);
    assertThat(Files.isSymbolicLink(link)).as("-o is still a symbolic link").isTrue();
    assertThat(Files.readAllLines(target)).as("the file it points at holds the export").hasSize(26);
  }

  /**
   * An export stopped by a signal (Ctrl-C, a job runner's timeout, SIGTERM) while it pages, where
   * no finally block runs: neither the spool in java.io.tmpdir (the tenant's trail so far) nor the
   * partial file beside -o stays behind.
   */
  @Test
  void anInterruptedApiExport_leavesNoSpoolOrPartialFile() throws Exception {
    Path keyFile = Files.writeString(dir.resolve("api-key"), "s3cret-key\n");
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Path outDir = Files.createDirectories(dir.resolve("out"));
    AtomicInteger pages = new AtomicInteger();
    api = StubLedgerApi.start(exchange -> {
      if (!exchange.getRequestURI().getPath().equals("/v1/events")) {
        StubLedgerApi.respond(exchange, 404, "{}");
        return;
      }
      if (pages.incrementAndGet() > 1) {
        try {
          Thread.sleep(60_000); // the second page never comes
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      StubLedgerApi.respond(exchange, 200, StubLedgerApi.eventsPage(chain, exchange).toString());
    });
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
            LedgerCli.class.getName(), "export", "-q", "--tenant", TENANT, "--api", api.base(),
            "--api-key-file", keyFile.toString(), "--page-size", "10", "-o", outDir.resolve("trail.jsonl").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("cli.log").toFile()).start();
    long deadline = System.currentTimeMillis() + 30_000;
    while (pages.get() < 2 && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    assertThat(pages.get()).as("second page requested; log: %s", Files.readString(dir.resolve("cli.log"))).isEqualTo(2);
    p.destroy(); // SIGTERM, as Ctrl-C or a job runner's timeout
    p.waitFor();
    try (var t = Files.list(tmp); var o = Files.list(outDir)) {
      List<String> left = new ArrayList<>();
      t.forEach(f -> left.add("tmp/" + f.getFileName()));
      o.forEach(f -> left.add("out/" + f.getFileName()));
      assertThat(left).as("files left behind by the stopped export").isEmpty();
    }
  }

  // --- helpers

  /**
   * A stub API: the keys endpoint answers {@code firstKeys} until the first events page has been
   * served, {@code laterKeys} afterwards (a node published a new key while the export paged);
   * events page {@code failPage} (1-based, -1 none) answers 500.
   */
  private void serve(List<LedgerEntry> trail, LedgerKeySet firstKeys, LedgerKeySet laterKeys, int failPage)
      throws IOException {
    AtomicInteger eventRequests = new AtomicInteger();
    api = StubLedgerApi.start(exchange -> {
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/v1/ledger/keys")) {
        // the new key is published once the export has read its first page of entries
        LedgerKeySet k = eventRequests.get() <= 1 ? firstKeys : laterKeys;
        StubLedgerApi.respond(exchange, 200, k.toJwkSet().toString());
      } else if (path.equals("/v1/events")) {
        if (eventRequests.incrementAndGet() == failPage) {
          StubLedgerApi.respond(exchange, 500, "{\"code\":\"INTERNAL_ERROR\",\"message\":\"internal error\",\"details\":[]}");
        } else {
          StubLedgerApi.respond(exchange, 200, StubLedgerApi.eventsPage(trail, exchange).toString());
        }
      } else {
        StubLedgerApi.respond(exchange, 404, "{}");
      }
    });
  }

  private int run(String... args) {
    return StubLedgerApi.run(new LedgerCli(), out, err, args);
  }
}

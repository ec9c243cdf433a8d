package com.mandateregistry.ledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mandateregistry.ledger.format.LedgerEntry;
import com.mandateregistry.ledger.format.LedgerJson;
import com.mandateregistry.ledger.format.LedgerKeySet;
import com.mandateregistry.ledger.testsupport.TestSigner;
import com.mandateregistry.ledger.testsupport.Trails;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compliance CLI: exit codes, messages, and the API export against a local HTTP server. */
class LedgerCliTest {

  private static final String TENANT = "tnt_A";
  private static TestSigner signer;
  private static List<LedgerEntry> chain;
  private static LedgerKeySet keys;

  @TempDir Path dir;

  private StubLedgerApi api;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void trail() {
    signer = TestSigner.generate();
    chain = Trails.chain(TENANT, 25, signer);
    keys = LedgerKeySet.of(List.of(signer.ledgerKey(Trails.T0)));
  }

  @AfterEach
  void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void verify_intactTrail_exits0_andSaysHowManyEntries() {
    Path file = Trails.write(dir.resolve("t.jsonl"), Trails.exportLines(TENANT, keys, chain));
    assertThat(run("verify", file.toString())).isEqualTo(LedgerCli.INTACT);
    assertThat(out.toString()).startsWith("INTACT: 25 entries of tenant tnt_A verified (head: sequence 25, event_hash "
        + chain.get(24).eventHash() + ")");
    assertThat(err.toString()).contains("trusting the keys in the export's header").contains("cannot be detected");
  }

  @Test
  void verify_brokenTrail_exits1_andNamesTheFirstBrokenEntry() throws Exception {
    List<String> lines = new ArrayList<>(Trails.exportLines(TENANT, keys, chain));
    ObjectNode node = (ObjectNode) LedgerJson.mapper().readTree(lines.get(12));
    ((ObjectNode) node.get("details")).put("amount", 0);
    lines.set(12, node.toString());
    Path file = Trails.write(dir.resolve("t.jsonl"), lines);
    assertThat(run("verify", "--quiet", file.toString())).isEqualTo(LedgerCli.BROKEN);
    assertThat(out.toString()).startsWith("BROKEN: sequence 12, event " + chain.get(11).eventId()
        + ", line 13: hash mismatch: event_hash is " + chain.get(11).eventHash() + ", recomputed ");
    assertThat(out.toString()).contains("11 entries of tenant tnt_A verified before it");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void verify_expectations_closeTheTruncationGap() {
    Path file = Trails.write(dir.resolve("t.jsonl"), Trails.exportLines(TENANT, keys, chain.subList(0, 20)));
    assertThat(run("verify", "-q", file.toString())).isEqualTo(LedgerCli.INTACT);
    assertThat(run("verify", "-q", "--expect-count", "25", file.toString())).isEqualTo(LedgerCli.BROKEN);
    assertThat(run("verify", "-q", "--expect-head", chain.get(24).eventHash(), file.toString())).isEqualTo(LedgerCli.BROKEN);
    assertThat(out.toString()).contains("unexpected head: the trail ends with event_hash " + chain.get(19).eventHash());
    assertThat(run("verify", "-q", "--expect-head", chain.get(19).eventHash(), "--expect-count", "20", file.toString()))
        .isEqualTo(LedgerCli.INTACT);
  }

  @Test
  void verify_expectEntry_checksAHeadRecordedEarlier_againstALongerExport() {
    Path file = Trails.write(dir.resolve("t.jsonl"), Trails.exportLines(TENANT, keys, chain));
    String head20 = chain.get(19).eventHash();
    // the head at 20, recorded before five more events: --expect-head compares the last entry only
    assertThat(run("verify", "-q", "--expect-head", head20, file.toString())).isEqualTo(LedgerCli.BROKEN);
    assertThat(run("verify", "-q", "--expect-entry", "20:" + head20, file.toString())).isEqualTo(LedgerCli.INTACT);
    assertThat(run("verify", "-q", "--expect-entry", "21:" + head20, file.toString())).isEqualTo(LedgerCli.BROKEN);
    assertThat(out.toString()).contains("sequence 21, event " + chain.get(20).eventId() + ", line 22: unexpected head: "
        + "the entry at sequence 21 has event_hash " + chain.get(20).eventHash() + ", expected " + head20);
    assertThat(run("verify", "-q", "--expect-entry", "26:" + head20, file.toString())).isEqualTo(LedgerCli.BROKEN);
    assertThat(out.toString()).contains("unexpected head: the trail ends at sequence 25, before the expected entry at sequence 26");
    assertThat(run("verify", "-q", "--expect-entry", "20" + head20, file.toString())).isEqualTo(LedgerCli.USAGE);
    assertThat(run("verify", "-q", "--expect-entry", "0:" + head20, file.toString())).isEqualTo(LedgerCli.USAGE);
    assertThat(err.toString()).startsWith("error: --expect-entry must be SEQ:HASH");
  }

  @Test
  void verify_keyTimesThatAreNotIntegers_areRefused_notTruncated() throws Exception {
    Path file = Trails.write(dir.resolve("t.jsonl"), Trails.exportLines(TENANT, keys, chain));
    String jwk = keys.toJwkSet().toString();
    for (String exp : new String[] {"1740821400.5", "\"1740821400\"", "1740821400.0", "1.7408214E+9"}) {
      Path pinned = Files.writeString(dir.resolve("keys.json"), jwk.replace("\"kty\"", "\"exp\":" + exp + ",\"kty\""));
      assertThat(run("verify", "-q", "--keys", pinned.toString(), file.toString())).as(exp).isEqualTo(LedgerCli.ERROR);
      assertThat(err.toString()).as(exp).contains("member \"exp\" is not an integer").contains(exp);
    }
    Path pinned = Files.writeString(dir.resolve("keys.json"), jwk.replaceFirst("\"nbf\":\\d+", "\"nbf\":\"soon\""));
    assertThat(run("verify", "-q", "--keys", pinned.toString(), file.toString())).isEqualTo(LedgerCli.ERROR);
    assertThat(err.toString()).contains("member \"nbf\" is not an integer");
  }

  @Test
  void verify_messagesShowNumbersAsWritten() throws Exception {
    List<String> lines = new java.util.ArrayList<>(Trails.exportLines(TENANT, keys, chain));
    lines.set(3, lines.get(3).replace("\"sequence\":3,", "\"sequence\":3.0,"));
    Path file = Trails.write(dir.resolve("t.jsonl"), lines);
    assertThat(run("verify", "-q", file.toString())).isEqualTo(LedgerCli.BROKEN);
    assertThat(out.toString()).contains("line 4: malformed entry: member \"sequence\" has the wrong type or value: 3.0");
    lines.set(3, lines.get(3).replace("\"sequence\":3.0,", "\"sequence\":-0,"));
    Trails.write(file, lines);
    assertThat(run("verify", "-q", file.toString())).isEqualTo(LedgerCli.BROKEN);
    assertThat(out.toString()).startsWith("BROKEN: sequence ?, event " + chain.get(2).eventId() + ", line 4: malformed");
  }

  @Test
  void verify_illFormedUtf8_isABrokenTrail() throws Exception {
    List<String> lines = Trails.exportLines(TENANT, keys, chain);
    byte[] bytes = (String.join("\n", lines) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    int at = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("sample 4");
    bytes[at] = (byte) 0xFF;
    Path file = Files.write(dir.resolve("t.jsonl"), bytes);
    assertThat(run("verify", "-q", file.toString())).isEqualTo(LedgerCli.BROKEN);
    assertThat(out.toString()).startsWith("BROKEN: sequence 5, event " + chain.get(4).eventId()
        + ", line 6: malformed entry: line is not well-formed UTF-8: byte FF at byte ");
  }

  @Test
  void verify_pinnedKeys_overrideTheHeader() throws Exception {
    Path file = Trails.write(dir.resolve("t.jsonl"), Trails.exportLines(TENANT, keys, chain));
    Path pinned = dir.resolve("keys.json");
    Files.writeString(pinned, LedgerKeySet.of(List.of(TestSigner.generate().ledgerKey())).toJwkSet().toString());
    assertThat(run("verify", "--keys", pinned.toString(), file.toString())).isEqualTo(LedgerCli.BROKEN);
    assertThat(out.toString()).contains("sequence 1, event " + chain.get(0).eventId() + ", line 2: unknown key");
    Files.writeString(pinned, keys.toJwkSet().toString());
    assertThat(run("verify", "--keys", pinned.toString(), file.toString())).isEqualTo(LedgerCli.INTACT);
  }

  @Test
  void usageErrors_exit2() {
    assertThat(run("verify")).isEqualTo(LedgerCli.USAGE);
    assertThat(err.toString()).startsWith("error: Missing required parameter: 'EXPORT'");
    assertThat(run("verify", "--expect-head", "abc", "x.jsonl")).isEqualTo(LedgerCli.USAGE);
    assertThat(err.toString()).startsWith("error: --expect-head must be 64 lowercase hex characters");
    assertThat(run("verify", "--threads", "0", "x.jsonl")).isEqualTo(LedgerCli.USAGE);
    assertThat(run("verify", "--engine", "quantum", "x.jsonl")).isEqualTo(LedgerCli.USAGE);
    assertThat(run("verify", "--bogus", "x.jsonl")).isEqualTo(LedgerCli.USAGE);
    assertThat(err.toString()).startsWith("error: Unknown option: '--bogus'");
    assertThat(run("frobnicate")).isEqualTo(LedgerCli.USAGE);
    assertThat(err.toString()).startsWith("error: ");
    assertThat(run()).isEqualTo(LedgerCli.USAGE);
    assertThat(err.toString()).startsWith("error: give a command");
    assertThat(run("export", "--tenant", TENANT)).isEqualTo(LedgerCli.USAGE);
    assertThat(err.toString()).startsWith("error: give exactly one source");
    assertThat(run("export", "--tenant", TENANT, "--jdbc-url", "jdbc:postgresql://x/y", "--api", "http://x"))
        .isEqualTo(LedgerCli.USAGE);
    assertThat(run("export", "--tenant", TENANT, "--api", "http://localhost:1")).isEqualTo(LedgerCli.USAGE);
    assertThat(err.toString()).contains("--api needs --api-key");
  }

  @Test
  void ioAndFormatErrors_exit3() throws Exception {
    assertThat(run("verify", dir.resolve("missing.jsonl").toString())).isEqualTo(LedgerCli.ERROR);
    assertThat(err.toString()).contains("error: no such file: ");
    Path notAnExport = Files.writeString(dir.resolve("x.jsonl"), "{\"hello\":\"world\"}\n");
    assertThat(run("verify", notAnExport.toString())).isEqualTo(LedgerCli.ERROR);
    assertThat(err.toString()).contains("not a ledger export");
    assertThat(run("verify", dir.toString())).isEqualTo(LedgerCli.ERROR);
    assertThat(err.toString()).contains("not a file but a directory: " + dir);
    Path notUtf8 = Files.write(dir.resolve("u.jsonl"), new byte[] {(byte) 0xC3, 0x28, '{', 'x', '\n'});
    assertThat(run("verify", notUtf8.toString())).isEqualTo(LedgerCli.ERROR);
    assertThat(err.toString()).contains("error: line 1: line is not well-formed UTF-8: byte C3 at byte 1");
    Path garbage = Files.write(dir.resolve("g.jsonl"), new byte[] {(byte) 0xC3, (byte) 0xA9, '{', 'x', '\n'});
    assertThat(run("verify", garbage.toString())).isEqualTo(LedgerCli.ERROR);
    String said = err.toString();
    assertThat(said).contains("header line is not JSON").contains("(column ").doesNotContain("[Source");
    assertThat(said.indexOf("header line is not JSON")).isEqualTo(said.lastIndexOf("header line is not JSON"));
    Path file = Trails.write(dir.resolve("t.jsonl"), Trails.exportLines(TENANT, keys, chain));
    Path badKeys = Files.writeString(dir.resolve("k.json"), "{\"keys\":[{\"kty\":\"RSA\"}]}");
    assertThat(run("verify", "--keys", badKeys.toString(), file.toString())).isEqualTo(LedgerCli.ERROR);
    assertThat(run("export", "--tenant", TENANT, "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/none",
        "--db-user", "nobody", "-o", dir.resolve("o.jsonl").toString())).isEqualTo(LedgerCli.ERROR);
  }

  @Test
  void exportThroughTheApi_pagesWithTheCursor_andVerifies() throws Exception {
    AtomicInteger eventRequests = new AtomicInteger();
    AtomicInteger throttled = new AtomicInteger();
    api = StubLedgerApi.start(exchange -> {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      if (!"Bearer tnt_A:s3cret-key".equals(auth)) {
        StubLedgerApi.respond(exchange, 401, "{\"code\":\"unauthorized\",\"message\":\"bad credentials\"}");
        return;
      }
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/v1/ledger/keys")) {
        StubLedgerApi.respond(exchange, 200, keys.toJwkSet().toString());
      } else if (path.equals("/v1/events")) {
        if (eventRequests.incrementAndGet() == 2 && throttled.getAndIncrement() == 0) {
          exchange.getResponseHeaders().add("Retry-After", "0");
          StubLedgerApi.respond(exchange, 429, "{\"message\":\"Too many requests, please try again later.\"}");
          return;
        }
        ObjectNode page = StubLedgerApi.eventsPage(chain, exchange, e -> {
          ObjectNode event = LedgerJson.toObject(e);
          event.put("recorded_by", "node-7"); // a member beyond v1: the exporter drops it
          return event;
        });
        StubLedgerApi.respond(exchange, 200, page.toString());
      } else {
        StubLedgerApi.respond(exchange, 404, "{}");
      }
    });
    Path keyFile = Files.writeString(dir.resolve("api-key"), "s3cret-key\n");
    Path export = dir.resolve("api.jsonl");
    int code = run(new LedgerCli(Clock.fixed(Instant.parse("2025-04-01T00:00:00Z"), ZoneOffset.UTC)),
        "export", "--tenant", TENANT, "--api", api.base() + "/",
        "--api-key-file", keyFile.toString(), "--page-size", "10", "-o", export.toString());
    assertThat(code).as(err.toString()).isEqualTo(LedgerCli.INTACT);
    assertThat(err.toString()).contains("HTTP 429, retrying").contains("exported 25 entries");
    List<String> lines = Files.readAllLines(export);
    assertThat(lines).hasSize(26);
    assertThat(lines.get(0)).contains("\"source\":\"api\"").contains("\"exported_at\":\"2025-04-01T00:00:00.000Z\"")
        .contains(signer.keyId());
    assertThat(lines.get(1)).doesNotContain("recorded_by");
    assertThat(eventRequests.get()).isEqualTo(4); // 3 pages + 1 throttled
    assertThat(run("verify", "-q", "--expect-count", "25", export.toString())).isEqualTo(LedgerCli.INTACT);

    Path wrongKey = Files.writeString(dir.resolve("wrong"), "guess");
    assertThat(run("export", "--tenant", TENANT, "--api", api.base(),
        "--api-key-file", wrongKey.toString(), "-o", dir.resolve("x").toString())).isEqualTo(LedgerCli.ERROR);
    assertThat(err.toString()).contains("GET /v1/events answered HTTP 401");
    assertThat(dir.resolve("x")).as("a failed export leaves no file").doesNotExist();
  }

  // --- helpers

  private int run(String... args) {
    return run(new LedgerCli(), args);
  }

  private int run(LedgerCli cli, String... args) {
    return StubLedgerApi.run(cli, out, err, args);
  }
}

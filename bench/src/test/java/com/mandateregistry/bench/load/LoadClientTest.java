package com.mandateregistry.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * What the load client counts and how the report judges it: only right answers count towards
 * latency and throughput, a figure with errors behind it is INVALID, every request is drawn as it
 * is sent, and the client waits for the pipeline before it measures.
 */
class LoadClientTest {

  private static final String BODY = "{\"delegate_subject_id\":\"d\",\"action\":\"a.b\",\"resource\":\"r:x\"}";
  private static final String ALLOW = "{\"decision\":\"ALLOW\"}";

  private static LoadClient client(StubServer server, int connections) {
    LoadClient client = new LoadClient("127.0.0.1", server.port(), new LoadClient.Options(), "");
    client.openConnections(connections);
    return client;
  }

  /** A scenario of one fixed request; {@code drawn} counts the draws. */
  private static LoadClient.Scenario scenario(AtomicInteger drawn) {
    byte[] head = "POST /v1/verify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        .getBytes(StandardCharsets.US_ASCII);
    byte[] tail = ("Content-Length: " + BODY.length() + "\r\n\r\n" + BODY).getBytes(StandardCharsets.UTF_8);
    LoadClient.Prepared p = new LoadClient.Prepared(head, tail);
    return new LoadClient.Scenario("verify", random -> {
      drawn.incrementAndGet();
      return p;
    }, "\"decision\":\"ALLOW\"".getBytes(StandardCharsets.UTF_8), 1);
  }

  private static String report(Map<String, LoadClient.Totals> open, Map<String, LoadClient.Totals> saturated) {
    PrintStream out = System.out;
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    System.setOut(new PrintStream(b, true, StandardCharsets.UTF_8));
    try {
      Report.print(new LoadClient.Options(), open, saturated, Map.of());
    } finally {
      System.setOut(out);
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  private static String line(String report, String containing) {
    return report.lines().filter(l -> l.contains(containing)).findFirst().orElseThrow();
  }

  @Test
  void openLoop_countsOnlyRightAnswers_andDrawsEveryRequestAsItIsSent() throws Exception {
    // every other answer is a 503, which a failing service answers fast
    try (StubServer server = new StubServer((n, line) ->
        n % 2 == 0 ? StubServer.Reply.ok(ALLOW) : StubServer.Reply.status(503, "{\"code\":\"SERVICE_UNAVAILABLE\"}"))) {
      AtomicInteger drawn = new AtomicInteger();
      // one connection per open-loop worker, as the client opens them
      LoadClient.Slice slice =
          client(server, new LoadClient.Options().connections).openLoop(scenario(drawn), "open:verify", 400, 0.5);
      assertThat(drawn.get()).isEqualTo(200);
      assertThat(slice.count + slice.errorCount()).isEqualTo(200);
      assertThat(slice.errors).containsEntry("HTTP 503", 100L);
      assertThat(slice.count).isEqualTo(100);
      assertThat(slice.latency.getTotalCount()).isEqualTo(100);
      assertThat(slice.service.getTotalCount()).isEqualTo(100);
    }
  }

  @Test
  void closedLoop_againstAServerThatOnlyFails_completesNothing_andItsRateIsInvalid() throws Exception {
    try (StubServer server = new StubServer((n, line) -> StubServer.Reply.status(503, "{}"))) {
      LoadClient.Slice slice = client(server, 4).closedLoop(scenario(new AtomicInteger()), "sat4:verify", 4, 0.5);
      assertThat(slice.errorCount()).isPositive();
      assertThat(slice.count).isZero();
      assertThat(slice.latency.getTotalCount()).isZero();

      LoadClient.Totals t = new LoadClient.Totals();
      slice.addTo(t);
      Map<String, LoadClient.Totals> saturated = new LinkedHashMap<>();
      saturated.put("verify x4", t);
      String report = report(Map.of(), saturated);
      assertThat(line(report, "verifications/s at saturation (verify x4)")).contains("INVALID (" + t.errorCount() + " errors)");
      assertThat(report).doesNotContain("at saturation, best");
    }
  }

  @Test
  void aLatencyTarget_withErrorsBehindIt_isInvalid_notMet() {
    LoadClient.Totals t = new LoadClient.Totals();
    t.latency.recordValue(1000);
    t.count = 1;
    t.seconds = 1;
    t.errors.put("HTTP 503", 29_999L);
    Map<String, LoadClient.Totals> open = new LinkedHashMap<>();
    open.put("verify", t);
    assertThat(line(report(open, Map.of()), "verify p99 at")).contains("INVALID (29999 errors)").doesNotContain("MET");

    t.errors.clear();
    assertThat(line(report(open, Map.of()), "verify p99 at")).contains("MET");
  }

  @Test
  void theRatio_withErrorsOnEitherSide_isInvalid() {
    LoadClient.Totals verify = new LoadClient.Totals();
    LoadClient.Totals noop = new LoadClient.Totals();
    verify.latency.recordValue(1000);
    noop.latency.recordValue(1000);
    verify.roundP99.add(1000L);
    noop.roundP99.add(1000L);
    noop.errors.put("IOException", 3L);
    Map<String, LoadClient.Totals> open = new LinkedHashMap<>();
    open.put("noop", noop);
    open.put("verify", verify);
    assertThat(line(report(open, Map.of()), "verify p99 / noop p99 <= 2")).contains("INVALID (3 errors)");
  }

  @Test
  void aLatencyOfMinutes_isCounted_notTheEndOfTheRun() {
    Histogram slow = new Histogram(3);
    slow.recordValue(TimeUnit.MINUTES.toMicros(5));
    LoadClient.Slice slice = new LoadClient.Slice(slow, slow, new Histogram(3), Map.of(), 1, 10);
    LoadClient.Totals t = new LoadClient.Totals();
    slice.addTo(t);
    assertThat(t.latency.getMaxValue()).isGreaterThanOrEqualTo(TimeUnit.MINUTES.toMicros(5) * 999 / 1000);
  }

  @Test
  void settle_waitsUntilThePipelineHasPublishedAndChainedWhatWasStored() throws Exception {
    AtomicInteger polls = new AtomicInteger();
    AtomicInteger counts = new AtomicInteger();
    try (StubServer server = new StubServer((n, line) -> {
      if (!line.startsWith("GET /v1/bench/backlog")) {
        return StubServer.Reply.status(404, "{}");
      }
      if (line.startsWith("GET /v1/bench/backlog?count=true ")) {
        counts.incrementAndGet();
      }
      // 100 events stored, the highest index 120 (rolled-back inserts leave gaps); more are
      // stored as the client waits. Both publishers have read them at the third poll, the ledger
      // has chained them at the fifth
      int poll = polls.incrementAndGet();
      return StubServer.Reply.ok("stored_index " + (119 + poll) + "\nstored_count " + (99 + poll)
          + "\npublished " + (poll < 3 ? 60 : 118 + poll) + "\nledgered " + (poll < 5 ? 90 : 98 + poll) + "\n");
    })) {
      client(server, 1).settle();
      assertThat(polls.get()).isEqualTo(5);
      assertThat(counts.get()).as("the store counted once per wait").isEqualTo(1);
    }
  }
}

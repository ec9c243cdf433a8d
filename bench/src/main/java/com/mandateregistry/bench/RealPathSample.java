package com.mandateregistry.bench;

import com.mandateregistry.bench.workload.Workload;
import com.mandateregistry.query.verification.MandateSnapshot;
import com.mandateregistry.query.verification.index.VerificationIndex;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Mandate writes through the real path: {@code POST /v1/mandates} (and its suspend, reactivate and
 * approve) over HTTP, the command, the event store, the publisher, Kafka, the index projection.
 * Measures the write rate and, for every write, the lag from its acknowledgement (its 201 or 200
 * received by the client) to the verification index holding the mandate at the version the write
 * answered, which is when {@code /v1/verify} decides on it (its {@code mandate_authority} row is
 * written before the acknowledgement). The index is polled in-process every 100 µs, so the lag is
 * exact to about 0.1 ms without a verification per poll.
 */
final class RealPathSample {

  private static final Pattern MANDATE_ID = Pattern.compile("\"mandate_id\"\\s*:\\s*\"(mdt_[0-9A-Z]+)\"");
  private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*(\\d+)");

  private final String baseUrl;
  private final Workload workload;
  private final InfraBeans.Tenant[] tenants;
  private final VerificationIndex index;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  /** The mandates created so far, by workload slot (or draft number, negated and less one). */
  private final Map<Integer, String> created = new ConcurrentHashMap<>();

  RealPathSample(String baseUrl, Workload workload, InfraBeans.Tenant[] tenants, VerificationIndex index) {
    this.baseUrl = baseUrl;
    this.workload = workload;
    this.tenants = tenants;
    this.index = index;
  }

  /** What one batch of writes measured; durations in microseconds. */
  record Result(
      String name, int written, int failed, double seconds, Histogram ack, Histogram lag, int lagTimeouts) {
    double rate() {
      return written / seconds;
    }
  }

  /** A write: which mandate slot, the request for it, and the status that means it succeeded. */
  private record Write(int key, HttpRequest request, int status) {}

  /** Creates mandates {@code from} (inclusive) to {@code to} as fast as {@code workers} clients can. */
  Result saturated(String name, int from, int to, int workers) throws InterruptedException {
    return run(name, from, to, workers, 0, this::create);
  }

  /** Creates mandates {@code from} to {@code to} at {@code rate} per second (open loop). */
  Result paced(String name, int from, int to, int rate) throws InterruptedException {
    return run(name, from, to, 32, rate, this::create);
  }

  /**
   * Applies {@code verb} ({@code suspend}, {@code reactivate}) to the created mandates {@code from}
   * to {@code to} at {@code rate} per second.
   */
  Result transitions(String name, String verb, int from, int to, int rate) throws InterruptedException {
    return run(name, from, to, 32, rate, k -> transition(k, k % workload.tenants(), verb));
  }

  /**
   * Creates {@code count} mandates with {@code approval_required} (DRAFTs, each for a delegate of
   * its own that no verification asks about) at {@code rate} per second, then approves them at the
   * same rate: two results, the creates' and the approvals'.
   */
  List<Result> draftsApproved(int count, int rate) throws InterruptedException {
    Result drafts = run("DRAFT created, " + rate + "/s", 0, count, 32, rate, this::createDraft);
    Result approvals = run("approved, " + rate + "/s", 0, count, 32, rate,
        n -> transition(draftKey(n), n % workload.tenants(), "approve"));
    return List.of(drafts, approvals);
  }

  private static int draftKey(int n) {
    return -n - 1;
  }

  private Write create(int k) {
    return new Write(k, post(k % workload.tenants(), "/v1/mandates", workload.createJson(k)), 201);
  }

  private Write createDraft(int n) {
    String json = "{\"principal\":{\"type\":\"natural_person\",\"subject_id\":\"bench-approver-" + n
        + "\"},\"delegate\":{\"type\":\"ai_agent\",\"subject_id\":\"bench-draft-" + n
        + "\"},\"scope\":{\"actions\":[\"bench.draft.approve\"],\"resources\":[\"bench/draft/" + n
        + "\"],\"effect\":\"ALLOW\"},\"constraints\":{\"approval_required\":true},\"expires_at\":\""
        + Workload.EXPIRES_AT + "\"}";
    return new Write(draftKey(n), post(n % workload.tenants(), "/v1/mandates", json), 201);
  }

  private Write transition(int key, int tenant, String verb) {
    String id = created.get(key);
    if (id == null) {
      throw new IllegalStateException("mandate " + key + " was not created");
    }
    return new Write(key, post(tenant, "/v1/mandates/" + id + "/" + verb, "{}"), 200);
  }

  private HttpRequest post(int tenant, String path, String json) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path))
        .header("Authorization", tenants[tenant].bearer())
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  private Result run(String name, int from, int to, int workers, int rate, IntFunction<Write> writes)
      throws InterruptedException {
    Recorder ack = new Recorder(3);
    Recorder lag = new Recorder(3);
    Map<String, Awaited> pending = new ConcurrentHashMap<>();
    AtomicInteger failed = new AtomicInteger();
    AtomicLong lastAck = new AtomicLong();
    Thread poller = new Thread(() -> poll(pending, lag), "bench-index-poller");
    poller.setDaemon(true);
    poller.start();
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    long start = System.nanoTime();
    if (rate <= 0) {
      AtomicInteger next = new AtomicInteger(from);
      for (int w = 0; w < workers; w++) {
        pool.execute(() -> {
          int k;
          while ((k = next.getAndIncrement()) < to) {
            send(writes, k, System.nanoTime(), ack, pending, failed, lastAck);
          }
        });
      }
    } else {
      long period = 1_000_000_000L / rate;
      for (int k = from; k < to; k++) {
        long intended = start + (k - from) * period;
        long wait;
        while ((wait = intended - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        int key = k;
        pool.execute(() -> send(writes, key, intended, ack, pending, failed, lastAck));
      }
    }
    pool.shutdown();
    pool.awaitTermination(30, TimeUnit.MINUTES);
    double seconds = (lastAck.get() - start) / 1e9;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!pending.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    int timeouts = pending.size();
    poller.interrupt();
    poller.join();
    return new Result(name, to - from - failed.get(), failed.get(), seconds,
        ack.getIntervalHistogram(), lag.getIntervalHistogram(), timeouts);
  }

  /** An acknowledged write the index has yet to show: when it was acknowledged, at which version. */
  private record Awaited(long ackedNanos, long version) {}

  private void send(
      IntFunction<Write> writes, int key, long intended, Recorder ack, Map<String, Awaited> pending,
      AtomicInteger failed, AtomicLong lastAck) {
    String what = "write " + key;
    try {
      Write write = writes.apply(key); // a transition of a mandate whose create failed: failed too
      what = write.request().uri().getPath();
      HttpResponse<String> response = http.send(write.request(), HttpResponse.BodyHandlers.ofString());
      long acked = System.nanoTime();
      Matcher id = MANDATE_ID.matcher(response.body());
      Matcher version = VERSION.matcher(response.body());
      if (response.statusCode() != write.status() || !id.find() || !version.find()) {
        if (failed.incrementAndGet() <= 3) {
          System.out.printf("  %s failed: %d %s%n", what, response.statusCode(), response.body());
        }
        return;
      }
      created.putIfAbsent(write.key(), id.group(1));
      pending.put(id.group(1), new Awaited(acked, Long.parseLong(version.group(1))));
      ack.recordValue(Math.max(0, (acked - intended) / 1000));
      lastAck.accumulateAndGet(acked, Math::max);
    } catch (Exception e) {
      if (failed.incrementAndGet() <= 3) {
        System.out.printf("  %s failed: %s%n", what, e);
      }
    }
  }

  private void poll(Map<String, Awaited> pending, Recorder lag) {
    while (!Thread.currentThread().isInterrupted()) {
      long now = System.nanoTime();
      pending.forEach(
          (id, awaited) -> {
            MandateSnapshot held = index.find(id);
            if (held != null && held.version() >= awaited.version()) {
              lag.recordValue(Math.max(0, (now - awaited.ackedNanos()) / 1000));
              pending.remove(id);
            }
          });
      LockSupport.parkNanos(100_000);
    }
  }
}

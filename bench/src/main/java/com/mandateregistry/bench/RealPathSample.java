package com.mandateregistry.bench;

import com.mandateregistry.bench.workload.Workload;
import com.mandateregistry.query.verification.index.VerificationIndex;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Mandates created through the real path: {@code POST /v1/mandates} over HTTP, the command, the
 * event store, the publisher, Kafka, the index projection. Measures the create rate and, for every
 * mandate, the lag from the create's acknowledgement (its 201 received by the client) to the
 * mandate being in the verification index, which is when {@code /v1/verify} can allow with it (its
 * {@code mandate_authority} row is written before the acknowledgement). The index is polled
 * in-process every 100 µs, so the lag is exact to about 0.1 ms without a verification per poll.
 */
final class RealPathSample {

  private static final Pattern MANDATE_ID = Pattern.compile("\"mandate_id\"\\s*:\\s*\"(mdt_[0-9A-Z]+)\"");

  private final String baseUrl;
  private final Workload workload;
  private final InfraBeans.Tenant[] tenants;
  private final VerificationIndex index;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  RealPathSample(String baseUrl, Workload workload, InfraBeans.Tenant[] tenants, VerificationIndex index) {
    this.baseUrl = baseUrl;
    this.workload = workload;
    this.tenants = tenants;
    this.index = index;
  }

  /** What one batch of creates measured; durations in microseconds. */
  record Result(
      String name, int created, int failed, double seconds, Histogram ack, Histogram lag, int lagTimeouts) {
    double rate() {
      return created / seconds;
    }
  }

  /** Creates mandates {@code from} (inclusive) to {@code to} as fast as {@code workers} clients can. */
  Result saturated(String name, int from, int to, int workers) throws InterruptedException {
    return run(name, from, to, workers, 0);
  }

  /** Creates mandates {@code from} to {@code to} at {@code rate} per second (open loop). */
  Result paced(String name, int from, int to, int rate) throws InterruptedException {
    return run(name, from, to, 32, rate);
  }

  private Result run(String name, int from, int to, int workers, int rate) throws InterruptedException {
    Recorder ack = new Recorder(3);
    Recorder lag = new Recorder(3);
    Map<String, Long> pending = new ConcurrentHashMap<>();
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
            create(k, System.nanoTime(), ack, pending, failed, lastAck);
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
        int mandate = k;
        pool.execute(() -> create(mandate, intended, ack, pending, failed, lastAck));
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

  private void create(
      int k, long intended, Recorder ack, Map<String, Long> pending, AtomicInteger failed, AtomicLong lastAck) {
    InfraBeans.Tenant tenant = tenants[k % workload.tenants()];
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/v1/mandates"))
            .header("Authorization", tenant.bearer())
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(workload.createJson(k)))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      long acked = System.nanoTime();
      Matcher id = MANDATE_ID.matcher(response.body());
      if (response.statusCode() != 201 || !id.find()) {
        if (failed.incrementAndGet() <= 3) {
          System.out.printf("  create %d failed: %d %s%n", k, response.statusCode(), response.body());
        }
        return;
      }
      pending.put(id.group(1), acked);
      ack.recordValue(Math.max(0, (acked - intended) / 1000));
      lastAck.accumulateAndGet(acked, Math::max);
    } catch (Exception e) {
      if (failed.incrementAndGet() <= 3) {
        System.out.printf("  create %d failed: %s%n", k, e);
      }
    }
  }

  private void poll(Map<String, Long> pending, Recorder lag) {
    while (!Thread.currentThread().isInterrupted()) {
      long now = System.nanoTime();
      pending.forEach(
          (id, acked) -> {
            if (index.find(id) != null) {
              lag.recordValue(Math.max(0, (now - acked) / 1000));
              pending.remove(id);
            }
          });
      LockSupport.parkNanos(100_000);
    }
  }
}

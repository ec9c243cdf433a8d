package com.mandateregistry.bench;

import com.mandateregistry.bench.server.ProcessCpu;
import com.mandateregistry.bench.server.ServerTiming;
import com.mandateregistry.bench.server.TrackingTokens;
import com.mandateregistry.bench.workload.Workload;
import com.mandateregistry.query.verification.index.VerificationIndex;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Watches the event pipeline while the load client runs: every second, how far the event store,
 * the Kafka publisher and the audit ledger have got; and, twice a second, a probe: a mandate
 * created through {@code POST /v1/mandates} (of a delegate the client never asks about), timed
 * from its acknowledgement to its arrival in the verification index. Every decision the load
 * makes is an event on the same store, publisher and topic, so this is the command-to-index lag
 * under verification load.
 */
final class PipelineMonitor implements AutoCloseable {

  private static final Pattern MANDATE_ID = Pattern.compile("\"mandate_id\"\\s*:\\s*\"(mdt_[0-9A-Z]+)\"");

  private final String baseUrl;
  private final Workload workload;
  private final InfraBeans.Tenant[] tenants;
  private final VerificationIndex index;
  private final JdbcTemplate jdbc;
  private final Path pgData;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final long start = System.nanoTime();
  private final List<Sample> samples = new ArrayList<>();
  private final List<Probe> probes = new ArrayList<>();
  private final Map<String, Probe> pending = new ConcurrentHashMap<>();
  private volatile Thread poller;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean probing = true;
  private volatile boolean running = true;
  private int nextMandate;

  /** One reading of the pipeline's positions. */
  record Sample(
      double second, String phase, long stored, long published, long ledgered, long jvmCpu, long pgCpu,
      long machineBusy, long machineTotal) {}

  /** One probe mandate: when its create was acknowledged, in which phase, and its lag (ms; -1 unseen). */
  static final class Probe {
    final double second;
    final String phase;
    final long ackNanos;
    volatile double lagMs = -1;

    Probe(double second, String phase, long ackNanos) {
      this.second = second;
      this.phase = phase;
      this.ackNanos = ackNanos;
    }
  }

  PipelineMonitor(
      String baseUrl, Workload workload, InfraBeans.Tenant[] tenants, VerificationIndex index, JdbcTemplate jdbc,
      Path pgData) {
    this.baseUrl = baseUrl;
    this.workload = workload;
    this.tenants = tenants;
    this.index = index;
    this.jdbc = jdbc;
    this.pgData = pgData;
    this.nextMandate = workload.mandates(); // numbers past the data set: delegates nobody verifies
  }

  void start() {
    threads.add(daemon("bench-monitor", this::sampleLoop));
    threads.add(daemon("bench-prober", this::probeLoop));
    poller = daemon("bench-probe-poller", this::pollLoop);
    threads.add(poller);
  }

  /** No more probes; those on their way are still watched. */
  void stopProbing() {
    probing = false;
  }

  @Override
  public void close() {
    probing = false;
    running = false;
    threads.forEach(Thread::interrupt);
  }

  /** Current positions: stored events (max global index), published (publisher token), ledgered. */
  long[] positions() {
    Long stored = jdbc.queryForObject("SELECT coalesce(max(global_index), 0) FROM domain_event_entry", Long.class);
    List<String> tokens = jdbc.queryForList(
        "SELECT convert_from(token, 'UTF8') FROM token_entry WHERE processor_name LIKE '%publishing%'", String.class);
    long published = 0;
    for (String t : tokens) {
      published = Math.max(published, TrackingTokens.index(t));
    }
    Long ledgered = jdbc.queryForObject("SELECT coalesce(sum(sequence), 0) FROM ledger_chain_head", Long.class);
    return new long[] {stored == null ? 0 : stored, published, ledgered == null ? 0 : ledgered};
  }

  int pendingProbes() {
    return pending.size();
  }

  private void sampleLoop() {
    while (running) {
      try {
        long[] p = positions();
        long[] machine = ProcessCpu.machineTicks();
        synchronized (samples) {
          samples.add(new Sample(seconds(), ServerTiming.lastPhase(), p[0], p[1], p[2], ProcessCpu.jvmNanos(),
              ProcessCpu.postgresNanos(pgData), machine[0], machine[1]));
        }
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // the database is going away at the end; stop quietly
        if (!running) {
          return;
        }
      }
    }
  }

  private void probeLoop() {
    while (probing) {
      int k = nextMandate++;
      try {
        HttpResponse<String> response = http.send(
            HttpRequest.newBuilder(URI.create(baseUrl + "/v1/mandates"))
                .header("Authorization", tenants[k % workload.tenants()].bearer())
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(workload.createJson(k)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
        long acked = System.nanoTime();
        Matcher id = MANDATE_ID.matcher(response.body());
        if (response.statusCode() == 201 && id.find()) {
          Probe probe = new Probe(seconds(), ServerTiming.lastPhase(), acked);
          synchronized (probes) {
            probes.add(probe);
          }
          pending.put(id.group(1), probe);
          LockSupport.unpark(poller);
        }
        Thread.sleep(500);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        // keep probing
      }
    }
  }

  /**
   * Looks for the probes on their way in the index. With none on its way it sleeps until the next
   * is created (which unparks it): it used to wake every 0.2 ms regardless, 5,000 times a second
   * on a machine the measured service shares.
   */
  private void pollLoop() {
    while (running) {
      long now = System.nanoTime();
      pending.forEach((id, probe) -> {
        if (index.find(id) != null) {
          probe.lagMs = (now - probe.ackNanos) / 1e6;
          pending.remove(id);
        }
      });
      // fine-grained while few probes are on their way, coarser when the pipeline is backed up,
      // and until the next probe (or 0.1 s) when none is
      int waiting = pending.size();
      LockSupport.parkNanos(waiting == 0 ? 100_000_000 : waiting > 32 ? 5_000_000 : 200_000);
      if (Thread.interrupted()) {
        return;
      }
    }
  }

  /** The timeline (10-second buckets) and the probes' lag by load phase. */
  void print() {
    List<Sample> s;
    synchronized (samples) {
      s = new ArrayList<>(samples);
    }
    List<Probe> p;
    synchronized (probes) {
      p = new ArrayList<>(probes);
    }
    System.out.println();
    System.out.println("PIPELINE DURING THE LOAD (10-s buckets): events stored / published to Kafka / appended to"
        + " the ledger per second, backlogs at the bucket's end, and the command -> index lag of the probe"
        + " mandates created in the bucket (ms); CPU in cores: the service JVM, its PostgreSQL, the whole machine"
        + " (2 = all of it; includes the load client and other people's processes)");
    System.out.println("    t  phase                  stored/s  publ/s ledger/s | publ backlog ledger backlog |"
        + " probes  lag p50  lag max  unseen |  jvm   pg  machine");
    for (int i = 10; i < s.size(); i += 10) {
      Sample a = s.get(i - 10);
      Sample b = s.get(i);
      double dt = b.second() - a.second();
      List<Probe> in = new ArrayList<>();
      for (Probe probe : p) {
        if (probe.second >= a.second() && probe.second < b.second()) {
          in.add(probe);
        }
      }
      Histogram lag = new Histogram(3);
      long unseen = 0;
      for (Probe probe : in) {
        if (probe.lagMs < 0) {
          unseen++;
        } else {
          lag.recordValue((long) Math.ceil(probe.lagMs));
        }
      }
      long ticks = b.machineTotal() - a.machineTotal();
      System.out.printf("%5.0f  %-22s %8.0f %7.0f %8.0f | %12d %14d | %6d %8d %8d %7d | %4.2f %4.2f %8.2f%n",
          b.second(), b.phase(), (b.stored() - a.stored()) / dt, (b.published() - a.published()) / dt,
          (b.ledgered() - a.ledgered()) / dt, b.stored() - b.published(), b.stored() - b.ledgered(),
          in.size(), lag.getTotalCount() == 0 ? -1 : lag.getValueAtPercentile(50), lag.getMaxValue(), unseen,
          (b.jvmCpu() - a.jvmCpu()) / 1e9 / dt, (b.pgCpu() - a.pgCpu()) / 1e9 / dt,
          ticks == 0 ? 0 : (double) (b.machineBusy() - a.machineBusy()) / ticks * Runtime.getRuntime().availableProcessors());
    }
    Map<String, Histogram> byPhase = new LinkedHashMap<>();
    Map<String, Long> unseenByPhase = new LinkedHashMap<>();
    for (Probe probe : p) {
      String phase = probe.phase.isEmpty() ? "(before the load)" : probe.phase;
      if (probe.lagMs < 0) {
        unseenByPhase.merge(phase, 1L, Long::sum);
      } else {
        byPhase.computeIfAbsent(phase, k -> new Histogram(3)).recordValue((long) Math.ceil(probe.lagMs));
      }
    }
    System.out.println("command -> index lag of the probes by the load running when they were created (ms):");
    System.out.println("  phase                     probes      p50      p90      p99      max  unseen");
    byPhase.forEach((phase, h) -> System.out.printf("  %-24s %7d %8d %8d %8d %8d %7d%n", phase, h.getTotalCount(),
        h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(99), h.getMaxValue(),
        unseenByPhase.getOrDefault(phase, 0L)));
    unseenByPhase.forEach((phase, n) -> {
      if (!byPhase.containsKey(phase)) {
        System.out.printf("  %-24s %7d %8s %8s %8s %8s %7d%n", phase, n, "-", "-", "-", "-", n);
      }
    });
  }

  private double seconds() {
    return (System.nanoTime() - start) / 1e9;
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
    return t;
  }
}

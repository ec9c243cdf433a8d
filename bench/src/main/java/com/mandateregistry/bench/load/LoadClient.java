package com.mandateregistry.bench.load;

import com.mandateregistry.bench.workload.Workload;
import java.io.IOException;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The load client: a JVM of its own (JDK and HdrHistogram only), started by the benchmark once the
 * service is filled. It runs, in one go and interleaved:
 *
 * <ul>
 *   <li><b>open loop</b>: each scenario in turn at a fixed rate (default 1,000 requests/s) for a
 *       slice (default 10 s), for several rounds (default 3), the order rotated every round so that
 *       drift and background work fall on every scenario alike. Latency is measured from the
 *       <em>intended</em> send time of each request, so a stalled server cannot hide its stall
 *       (no coordinated omission); the service time (from the actual send) and how late the
 *       client dispatched are recorded too;
 *   <li><b>closed loop</b> (saturation): N workers, each sending its next request as soon as the
 *       last is answered, per scenario; the throughput is what the server completes.
 * </ul>
 *
 * Scenarios: {@code noop} (the floor: {@code POST /v1/bench/noop}, same body, same security
 * chain), {@code verify} (ALLOW, no proof), {@code verify+proof} ({@code ?pom=sd-jwt-vc}, on
 * mandates created through the real path; skipped, and said so, while the service answers 503),
 * {@code deny} (the DENY mix, see {@link Workload#deny}). Each request is drawn at random from the
 * whole data set as it is sent, not from a prepared handful. Every answer is checked: a wrong
 * status or decision, or a failed exchange, counts as an error, and only right answers count
 * towards latency and throughput; a figure with errors behind it is judged INVALID, never MET.
 * Before each measured slice the client waits until the publishers and the ledger have caught up
 * with the event store, so that no slice (the no-op floor least of all) pays for its predecessor's
 * backlog.
 */
public final class LoadClient {

  private final String host;
  private final int port;
  private final Options options;
  private final BlockingQueue<HttpConnection> connections = new LinkedBlockingQueue<>();
  private final String statsAuthorization;

  /** The command-line options, with defaults. */
  static final class Options {
    int rate = 1000;
    // C2 compiles for about three minutes of load in a JVM that also hosts Kafka, Axon and Spring;
    // measured before it is done, a round measures the compiler (BENCHMARKS.md, 2026-12-06 evening)
    double warmup = 180;
    double slice = 10;
    int rounds = 3;
    int connections = 64;
    List<Integer> satWorkers = List.of(32, 128);
    double satSlice = 10;
    int satRounds = 2;
    List<String> scenarios = List.of("noop", "verify", "verify+proof", "deny");
    List<String> satScenarios = List.of("noop", "verify", "verify+proof", "deny");

    static Options parse(List<String> args) {
      Options o = new Options();
      for (int i = 0; i < args.size(); i += 2) {
        String name = args.get(i);
        if (i + 1 >= args.size()) {
          throw new IllegalArgumentException(name + " needs a value");
        }
        String v = args.get(i + 1);
        switch (name) {
          case "--rate" -> o.rate = Integer.parseInt(v);
          case "--warmup" -> o.warmup = Double.parseDouble(v);
          case "--slice" -> o.slice = Double.parseDouble(v);
          case "--rounds" -> o.rounds = Integer.parseInt(v);
          case "--connections" -> o.connections = Integer.parseInt(v);
          case "--sat-workers" -> o.satWorkers =
              List.of(v.split(",")).stream().map(Integer::parseInt).collect(Collectors.toList());
          case "--sat-slice" -> o.satSlice = Double.parseDouble(v);
          case "--sat-rounds" -> o.satRounds = Integer.parseInt(v);
          case "--scenarios" -> o.scenarios = List.of(v.split(","));
          case "--sat-scenarios" -> o.satScenarios = v.isBlank() ? List.of() : List.of(v.split(","));
          default -> throw new IllegalArgumentException("unknown load client option " + name);
        }
      }
      return o;
    }

    @Override
    public String toString() {
      return String.format("open loop %d req/s, warm-up %.0f s, %d rounds x %.0f s per scenario;"
              + " saturation %s workers, %d rounds x %.0f s per scenario; %d connections",
          rate, warmup, rounds, slice, satWorkers, satRounds, satSlice, connections);
    }
  }

  /** A request, prepared as bytes: what goes before the phase header, and after it. */
  record Prepared(byte[] head, byte[] tail) {}

  /** Draws a scenario's next request. */
  interface Requests {
    Prepared next(SplittableRandom random);
  }

  /** A scenario: how its requests are drawn (from {@code seed}) and what every answer must contain. */
  record Scenario(String name, Requests requests, byte[] expected, long seed) {}

  /** What one scenario accumulated in one mode (open or closed loop). */
  static final class Totals {
    // auto-resizing, as the Recorders' histograms merged into them: a latency past any fixed
    // highest value would end the run instead of being counted
    final Histogram latency = new Histogram(3);
    final Histogram service = new Histogram(3);
    final Histogram lateness = new Histogram(3);
    final List<Long> roundP99 = new ArrayList<>();
    final List<Double> roundRate = new ArrayList<>();
    final Map<String, Long> errors = new LinkedHashMap<>();
    long count;
    double seconds;
    Usage usage = new Usage();

    long errorCount() {
      return errors.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** Counters (CPU ns, GC, machine ticks) at one moment, or their difference over a slice. */
  static final class Usage {
    final Map<String, Long> values = new TreeMap<>();

    long get(String key) {
      return values.getOrDefault(key, 0L);
    }

    Usage plus(Usage o) {
      Usage u = new Usage();
      u.values.putAll(values);
      o.values.forEach((k, v) -> u.values.merge(k, v, Long::sum));
      return u;
    }

    Usage minus(Usage o) {
      Usage u = new Usage();
      u.values.putAll(values);
      o.values.forEach((k, v) -> u.values.merge(k, -v, Long::sum));
      return u;
    }
  }

  LoadClient(String host, int port, Options options, String statsAuthorization) {
    this.host = host;
    this.port = port;
    this.options = options;
    this.statsAuthorization = statsAuthorization;
  }

  public static void main(String[] args) throws Exception {
    Properties fixture = new Properties();
    try (Reader r = Files.newBufferedReader(Path.of(args[0]))) {
      fixture.load(r);
    }
    Options options = Options.parse(List.of(args).subList(1, args.length));
    String host = fixture.getProperty("host");
    int port = Integer.parseInt(fixture.getProperty("port"));
    int tenants = Integer.parseInt(fixture.getProperty("tenants"));
    Workload workload = new Workload(tenants, Integer.parseInt(fixture.getProperty("mandates")));
    String[] bearer = new String[tenants];
    for (int i = 0; i < tenants; i++) {
      bearer[i] = "Bearer " + fixture.getProperty("tenant." + i);
    }
    int realDelegates = Integer.parseInt(fixture.getProperty("real.delegates"));
    LoadClient client = new LoadClient(host, port, options, "Authorization: " + bearer[0] + "\r\n");
    client.run(workload, bearer, realDelegates);
    System.exit(0);
  }

  private void run(Workload workload, String[] bearer, int realDelegates) throws Exception {
    Map<String, Scenario> all = new LinkedHashMap<>();
    all.put("noop", scenario("noop", "/v1/bench/noop", "\"decision\":\"NOOP\"",
        r -> workload.allow(r, Integer.MAX_VALUE), bearer, 1));
    all.put("verify", scenario("verify", "/v1/verify", "\"decision\":\"ALLOW\"",
        r -> workload.allow(r, Integer.MAX_VALUE), bearer, 2));
    all.put("verify+proof", scenario("verify+proof", "/v1/verify?pom=sd-jwt-vc", "\"proof_of_mandate\"",
        r -> workload.allow(r, realDelegates), bearer, 3));
    all.put("deny", scenario("deny", "/v1/verify", "\"decision\":\"DENY\"", workload::deny, bearer, 4));

    System.out.println("LOAD CLIENT: " + options);
    System.out.printf("client JVM: %s, %d available processors (shared with the server, PostgreSQL and"
            + " Kafka)%n", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    openConnections(Math.max(options.connections, max(options.satWorkers)));

    // every scenario answers as it should, or is left out with the reason
    List<Scenario> open = new ArrayList<>();
    List<Scenario> saturated = new ArrayList<>();
    for (Scenario s : all.values()) {
      String problem = probe(s);
      if (problem != null) {
        System.out.printf("SCENARIO %s NOT MEASURED: %s%n", s.name(), problem);
        continue;
      }
      if (options.scenarios.contains(s.name())) {
        open.add(s);
      }
      if (options.satScenarios.contains(s.name())) {
        saturated.add(s);
      }
    }

    // warm-up, not recorded: every scenario closed loop (the code paths of large batches), then
    // open loop. In that order the backlog a saturated spell leaves behind (publisher, ledger) is
    // worked off during the open-loop warm-up, not in the first measured round
    for (Scenario s : saturated) {
      closedLoop(s, "warmup", max(options.satWorkers), Math.min(2, options.satSlice));
    }
    for (Scenario s : open) {
      openLoop(s, "warmup", options.rate, options.warmup / open.size());
    }

    Map<String, Totals> openTotals = new LinkedHashMap<>();
    for (int round = 0; round < options.rounds; round++) {
      for (int i = 0; i < open.size(); i++) {
        Scenario s = open.get((i + round) % open.size());
        Totals t = openTotals.computeIfAbsent(s.name(), k -> new Totals());
        long settled = settle();
        Usage before = usage();
        Slice slice = openLoop(s, "open:" + s.name(), options.rate, options.slice);
        t.usage = t.usage.plus(usage().minus(before));
        slice.addTo(t);
        System.out.printf("  round %d %-13s open  %6.0f req/s  p50 %7.2f  p99 %7.2f ms  errors %d  (settled %d ms)%n",
            round + 1, s.name(), slice.count / slice.seconds, slice.latency.getValueAtPercentile(50) / 1000.0,
            slice.latency.getValueAtPercentile(99) / 1000.0, slice.errorCount(), settled);
      }
    }
    Map<String, Totals> satTotals = new LinkedHashMap<>();
    // every (workers, scenario) pair once per round, in reverse order every other round, so that
    // the JIT's progress and the machine's drift fall on every pair alike
    List<Map.Entry<Integer, Scenario>> pairs = new ArrayList<>();
    for (int workers : options.satWorkers) {
      for (Scenario s : saturated) {
        pairs.add(Map.entry(workers, s));
      }
    }
    for (int round = 0; round < options.satRounds; round++) {
      for (int i = 0; i < pairs.size(); i++) {
        var pair = pairs.get(round % 2 == 0 ? i : pairs.size() - 1 - i);
        int workers = pair.getKey();
        Scenario s = pair.getValue();
        Totals t = satTotals.computeIfAbsent(s.name() + " x" + workers, k -> new Totals());
        long settled = settle();
        Usage before = usage();
        Slice slice = closedLoop(s, "sat" + workers + ":" + s.name(), workers, options.satSlice);
        t.usage = t.usage.plus(usage().minus(before));
        slice.addTo(t);
        System.out.printf("  round %d %-13s %3d workers  %6.0f req/s  p50 %7.2f  p99 %7.2f ms  errors %d  (settled %d ms)%n",
            round + 1, s.name(), workers, slice.count / slice.seconds,
            slice.latency.getValueAtPercentile(50) / 1000.0, slice.latency.getValueAtPercentile(99) / 1000.0,
            slice.errorCount(), settled);
      }
    }
    Map<String, long[]> server = serverTiming();
    Report.print(options, openTotals, satTotals, server);
  }

  private interface Generator {
    Workload.Request next(SplittableRandom random);
  }

  private Scenario scenario(String name, String path, String expected, Generator generator, String[] bearer, long seed) {
    String start = "POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n";
    Requests requests = random -> {
      Workload.Request request = generator.next(random);
      byte[] body = request.json().getBytes(StandardCharsets.UTF_8);
      String head = start + "Authorization: " + bearer[request.tenant()] + "\r\n"
          + "Content-Type: application/json\r\nAccept: application/json\r\n";
      String tail = "Content-Length: " + body.length + "\r\n\r\n";
      byte[] tailBytes = new byte[tail.length() + body.length];
      System.arraycopy(tail.getBytes(StandardCharsets.US_ASCII), 0, tailBytes, 0, tail.length());
      System.arraycopy(body, 0, tailBytes, tail.length(), body.length);
      return new Prepared(head.getBytes(StandardCharsets.US_ASCII), tailBytes);
    };
    return new Scenario(name, requests, expected.getBytes(StandardCharsets.UTF_8), seed);
  }

  /** Null when 50 requests of the scenario all answer as expected, else what went wrong. */
  private String probe(Scenario s) throws Exception {
    HttpConnection c = connections.take();
    SplittableRandom random = new SplittableRandom(s.seed());
    try {
      for (int i = 0; i < 50; i++) {
        Prepared p = s.requests().next(random);
        HttpConnection.Response r = c.exchange(p.head(), null, p.tail());
        if (r.status() != 200 || !r.bodyContains(s.expected())) {
          return "HTTP " + r.status() + " " + r.bodyText();
        }
      }
      return null;
    } finally {
      connections.add(c);
    }
  }

  /** One slice's measurements. */
  static final class Slice {
    final Histogram latency;
    final Histogram service;
    final Histogram lateness;
    final Map<String, Long> errors;
    final long count;
    final double seconds;

    Slice(Histogram latency, Histogram service, Histogram lateness, Map<String, Long> errors, long count,
        double seconds) {
      this.latency = latency;
      this.service = service;
      this.lateness = lateness;
      this.errors = errors;
      this.count = count;
      this.seconds = seconds;
    }

    long errorCount() {
      return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    void addTo(Totals t) {
      t.latency.add(latency);
      t.service.add(service);
      t.lateness.add(lateness);
      t.roundP99.add(latency.getValueAtPercentile(99));
      t.roundRate.add(count / seconds);
      t.count += count;
      t.seconds += seconds;
      errors.forEach((k, v) -> t.errors.merge(k, v, Long::sum));
    }
  }

  private static final long STOP = Long.MIN_VALUE;

  /** Seeds the random draws of each slice differently. */
  private final AtomicLong slices = new AtomicLong();

  /**
   * Sends {@code rate} requests per second for {@code seconds}, each at its intended time, whether
   * or not earlier ones were answered (up to {@code connections} in flight; beyond, they queue in
   * the client, and the wait counts).
   */
  Slice openLoop(Scenario s, String phase, int rate, double seconds) throws InterruptedException {
    byte[] phaseHeader = (ServerPhase.HEADER + ": " + phase + "\r\n").getBytes(StandardCharsets.US_ASCII);
    Recorder latency = new Recorder(3);
    Recorder service = new Recorder(3);
    Recorder lateness = new Recorder(3);
    Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    AtomicLong done = new AtomicLong();
    LinkedBlockingQueue<Long> jobs = new LinkedBlockingQueue<>();
    List<Thread> workers = new ArrayList<>();
    SplittableRandom draws = new SplittableRandom(s.seed() * 1_000_003 + slices.incrementAndGet());
    for (int w = 0; w < options.connections; w++) {
      SplittableRandom random = draws.split();
      Thread t = new Thread(() -> {
        HttpConnection c = connections.poll();
        try {
          long intended;
          while ((intended = jobs.take()) != STOP) {
            Prepared request = s.requests().next(random);
            long sent = System.nanoTime();
            lateness.recordValue(Math.max(0, (sent - intended) / 1000));
            if (exchange(c, request, phaseHeader, s.expected(), errors)) {
              long now = System.nanoTime();
              latency.recordValue((now - intended) / 1000);
              service.recordValue((now - sent) / 1000);
              done.incrementAndGet();
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          connections.add(c);
        }
      }, "open-" + w);
      t.setDaemon(true);
      t.start();
      workers.add(t);
    }
    long period = 1_000_000_000L / rate;
    long total = (long) (seconds * rate);
    long start = System.nanoTime() + 1_000_000;
    for (long i = 0; i < total; i++) {
      long intended = start + i * period;
      // parked, not spun: a spin for the last 60 µs of each wait cost the shared machine 6% of a
      // core at 1,000/s; a late wake-up is counted, since latency runs from the intended time
      long wait;
      while ((wait = intended - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      jobs.add(intended);
    }
    for (int w = 0; w < workers.size(); w++) {
      jobs.add(STOP);
    }
    for (Thread t : workers) {
      t.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    return new Slice(latency.getIntervalHistogram(), service.getIntervalHistogram(),
        lateness.getIntervalHistogram(), snapshot(errors), done.get(), Math.max(elapsed, seconds));
  }

  /** {@code workers} clients, each sending its next request as soon as it has the answer. */
  Slice closedLoop(Scenario s, String phase, int workers, double seconds) throws InterruptedException {
    byte[] phaseHeader = (ServerPhase.HEADER + ": " + phase + "\r\n").getBytes(StandardCharsets.US_ASCII);
    Recorder latency = new Recorder(3);
    Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    AtomicLong done = new AtomicLong();
    long start = System.nanoTime();
    long deadline = start + (long) (seconds * 1e9);
    List<Thread> threads = new ArrayList<>();
    SplittableRandom draws = new SplittableRandom(s.seed() * 1_000_003 + slices.incrementAndGet());
    for (int w = 0; w < workers; w++) {
      SplittableRandom random = draws.split();
      Thread t = new Thread(() -> {
        HttpConnection c = connections.poll();
        try {
          while (true) {
            Prepared p = s.requests().next(random);
            long sent = System.nanoTime();
            if (sent >= deadline) {
              break;
            }
            if (exchange(c, p, phaseHeader, s.expected(), errors)) {
              latency.recordValue((System.nanoTime() - sent) / 1000);
              done.incrementAndGet();
            }
          }
        } finally {
          connections.add(c);
        }
      }, "closed-" + w);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    Histogram h = latency.getIntervalHistogram();
    return new Slice(h, h, new Histogram(3), snapshot(errors), done.get(), elapsed);
  }

  /** One request; true for a right answer, else the error is counted under its kind. */
  private static boolean exchange(
      HttpConnection c, Prepared p, byte[] phaseHeader, byte[] expected, Map<String, AtomicLong> errors) {
    String error;
    try {
      HttpConnection.Response r = c.exchange(p.head(), phaseHeader, p.tail());
      if (r.status() == 200 && r.bodyContains(expected)) {
        return true;
      }
      error = r.status() != 200 ? "HTTP " + r.status() : "wrong answer";
    } catch (IOException | RuntimeException e) {
      error = e.getClass().getSimpleName();
      c.close();
    }
    errors.computeIfAbsent(error, k -> new AtomicLong()).incrementAndGet();
    return false;
  }

  private static Map<String, Long> snapshot(Map<String, AtomicLong> errors) {
    Map<String, Long> m = new HashMap<>();
    errors.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  /** Adds {@code n} connections to the server to the pool the loops take theirs from. */
  void openConnections(int n) {
    for (int i = 0; i < n; i++) {
      connections.add(new HttpConnection(host, port));
    }
  }

  /** How long {@link #settle} waits at most before measuring anyway (and saying so). */
  static final long SETTLE_LIMIT_NANOS = 60_000_000_000L;

  /**
   * Waits until everything the event store held when called has been published to Kafka by both
   * publishers and chained by the audit ledger (the server's {@code GET /v1/bench/backlog}),
   * polling every 20 ms for at most {@link #SETTLE_LIMIT_NANOS}. Returns the wait in ms.
   */
  long settle() throws Exception {
    long start = System.nanoTime();
    Map<String, Long> target = backlog(true);
    long index = target.getOrDefault("stored_index", 0L);
    long count = target.getOrDefault("stored_count", 0L);
    Map<String, Long> now = target;
    while (now.getOrDefault("published", 0L) < index || now.getOrDefault("ledgered", 0L) < count) {
      if (System.nanoTime() - start > SETTLE_LIMIT_NANOS) {
        System.out.printf("  (the pipeline had not caught up after %d s: %s, to reach %d stored, index %d;"
            + " measuring anyway)%n", SETTLE_LIMIT_NANOS / 1_000_000_000L, now, count, index);
        break;
      }
      LockSupport.parkNanos(20_000_000);
      now = backlog(false);
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** The server's pipeline positions, by name. */
  private Map<String, Long> backlog(boolean count) throws Exception {
    Map<String, Long> positions = new TreeMap<>();
    for (String line : get("/v1/bench/backlog" + (count ? "?count=true" : "")).split("\n")) {
      String[] kv = line.trim().split(" ");
      if (kv.length == 2) {
        positions.put(kv[0], Long.parseLong(kv[1]));
      }
    }
    return positions;
  }

  /** CPU and GC counters now: the server's (from its stats endpoint), this JVM's and the machine's. */
  private Usage usage() throws Exception {
    Usage u = new Usage();
    for (String line : get("/v1/bench/stats").split("\n")) {
      String[] kv = line.trim().split(" ");
      if (kv.length == 2) {
        u.values.put(kv[0], Long.parseLong(kv[1]));
      }
    }
    u.values.put("client_cpu_ns",
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime());
    try {
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      long total = 0;
      for (int i = 1; i < cpu.length && i <= 8; i++) {
        long v = Long.parseLong(cpu[i]);
        total += v;
        if (i != 4 && i != 5) { // idle, iowait
          busy += v;
        }
      }
      u.values.put("machine_busy", busy);
      u.values.put("machine_total", total);
    } catch (IOException | RuntimeException e) {
      // no /proc: machine load unknown
    }
    return u;
  }

  /** Server timing lines: "phase what" → count, p50, p90, p99, p99.9, max, mean (µs). */
  private Map<String, long[]> serverTiming() throws Exception {
    Map<String, long[]> timing = new LinkedHashMap<>();
    for (String line : get("/v1/bench/server-timing").split("\n")) {
      String[] f = line.trim().split(" ");
      if (f.length < 9) {
        continue;
      }
      long[] v = new long[7];
      for (int i = 0; i < 7; i++) {
        v[i] = Long.parseLong(f[f.length - 7 + i]);
      }
      String key = String.join(" ", List.of(f).subList(0, f.length - 7));
      timing.put(key, v);
    }
    return timing;
  }

  private String get(String path) throws Exception {
    HttpConnection c = connections.take();
    try {
      byte[] head = ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n" + statsAuthorization)
          .getBytes(StandardCharsets.US_ASCII);
      HttpConnection.Response r = c.exchange(head, null, "\r\n".getBytes(StandardCharsets.US_ASCII));
      if (r.status() != 200) {
        throw new IOException("GET " + path + ": HTTP " + r.status() + " " + r.bodyText());
      }
      return r.bodyText();
    } finally {
      connections.add(c);
    }
  }

  private static int max(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).max().orElse(1);
  }

  /** The phase header's name (the server's {@code ServerTiming.PHASE_HEADER}). */
  static final class ServerPhase {
    static final String HEADER = "X-Bench-Phase";

    private ServerPhase() {}
  }
}

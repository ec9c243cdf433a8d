package com.mandateregistry.bench;

import com.mandateregistry.bench.server.BenchConfiguration;
import com.mandateregistry.bench.server.ProcessCpu;
import com.mandateregistry.bench.workload.Workload;
import com.mandateregistry.query.verification.config.VerificationConfiguration;
import com.mandateregistry.query.verification.index.VerificationIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.management.ObjectName;
import javax.sql.DataSource;
import org.HdrHistogram.Histogram;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The verification benchmark, server side (run it with {@code bench/verify-bench.sh}):
 *
 * <ol>
 *   <li>starts the whole service in this JVM in embedded mode (PostgreSQL, Kafka) on a temporary
 *       data directory, plus {@link BenchConfiguration} (the no-op floor and server-side timing);
 *   <li>registers the tenants and issues each an API key (CommandGateway and ApiKeyCredentials);
 *   <li>creates a sample of mandates through the real path ({@code POST /v1/mandates}), at full
 *       speed and then paced, measuring the create rate and the lag from acknowledgement to index;
 *       then suspends and reactivates some of them, and creates and approves DRAFTs, measuring the
 *       same lag for those writes;
 *   <li>fills the rest of the index directly and measures its heap cost;
 *   <li>runs the load client in a second JVM ({@code load.LoadClient}) against it;
 *   <li>reports what the load left behind: the audit ledger's backlog and how fast it drains.
 * </ol>
 *
 * Usage: {@code VerifyBench [--tenants N] [--mandates N] [--real N] [--paced N] [--paced-rate R]
 * [--transitions N] [--create-workers N] [--ledger-drain-timeout S] [--keep-data] -- [load client
 * options]}.
 */
public final class VerifyBench {

  private VerifyBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("tenants", "1000");
    options.put("mandates", "1000000");
    options.put("real", "5000");
    options.put("paced", "1000");
    options.put("paced-rate", "100");
    options.put("trickle", "100");
    options.put("trickle-rate", "10");
    options.put("transitions", "1000");
    options.put("publisher-batch", "0");
    options.put("create-workers", "8");
    options.put("ledger-drain-timeout", "300");
    List<String> clientArgs = new ArrayList<>();
    boolean keepData = false;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--")) {
        clientArgs.addAll(List.of(args).subList(i + 1, args.length));
        break;
      } else if (args[i].equals("--keep-data")) {
        keepData = true;
      } else if (args[i].startsWith("--") && options.containsKey(args[i].substring(2)) && i + 1 < args.length) {
        options.put(args[i].substring(2), args[++i]);
      } else {
        throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + options.keySet()
            + ", --keep-data, and -- followed by the load client's options");
      }
    }
    int tenantCount = Integer.parseInt(options.get("tenants"));
    int mandates = Integer.parseInt(options.get("mandates"));
    int real = Integer.parseInt(options.get("real"));
    int paced = Integer.parseInt(options.get("paced"));
    int trickle = Integer.parseInt(options.get("trickle"));
    int realTotal = real + paced + trickle;
    if (real < 2 * tenantCount || realTotal > mandates) {
      throw new IllegalArgumentException(
          "need --real >= 2 x --tenants (every tenant gets real-path mandates for the proof scenario)"
              + " and --real + --paced <= --mandates");
    }
    Workload workload = new Workload(tenantCount, mandates);
    System.out.printf("verify-bench: %,d mandates across %,d tenants; %,d + %,d + %,d through the real path,"
            + " %,d filled directly; options %s%n",
        mandates, tenantCount, real, trickle, paced, mandates - realTotal, options);

    Path dataDir = Files.createTempDirectory("verify-bench-");
    ConfigurableApplicationContext context = null;
    try {
      long t0 = System.nanoTime();
      context = start(dataDir, Integer.parseInt(options.get("publisher-batch")));
      int port = ((ServletWebServerApplicationContext) context).getWebServer().getPort();
      String baseUrl = "http://127.0.0.1:" + port;
      System.out.printf("service started in %.1f s on port %d (data in %s)%n", secondsSince(t0), port, dataDir);
      awaitIndexCaughtUp(context);
      printProcessors(context);

      // tenants and keys
      t0 = System.nanoTime();
      InfraBeans.Tenant[] tenants = createTenants(context, tenantCount);
      System.out.printf("%,d tenants registered, each with an API key, in %.1f s%n", tenantCount, secondsSince(t0));

      // the real path, and the lag from a create's acknowledgement to the index
      VerificationIndex index = context.getBean(VerificationIndex.class);
      RealPathSample sample = new RealPathSample(baseUrl, workload, tenants, index);
      int workers = Integer.parseInt(options.get("create-workers"));
      // JIT; counted in the totals below. A tenth of the real path at most, so that the saturated
      // run keeps nine tenths (with --real 500 it had none, and said "-Infinity min")
      int warm = Math.min(500, real / 10);
      sample.saturated("warm-up", 0, warm, workers);
      List<RealPathSample.Result> realResults = new ArrayList<>();
      realResults.add(sample.paced("paced at " + options.get("trickle-rate") + "/s", real, real + trickle,
          Integer.parseInt(options.get("trickle-rate"))));
      realResults.add(sample.saturated("saturated, " + workers + " clients", warm, real, workers));
      realResults.add(sample.paced("paced at " + options.get("paced-rate") + "/s", real + trickle, realTotal,
          Integer.parseInt(options.get("paced-rate"))));
      // the other writes: suspend and reactivate the paced slice, approve DRAFTs of their own
      int transitions = Math.min(Integer.parseInt(options.get("transitions")), paced);
      int pacedRate = Integer.parseInt(options.get("paced-rate"));
      int firstPaced = real + trickle;
      if (transitions > 0) {
        realResults.add(sample.transitions("suspended, " + pacedRate + "/s", "suspend",
            firstPaced, firstPaced + transitions, pacedRate));
        realResults.add(sample.transitions("reactivated, " + pacedRate + "/s", "reactivate",
            firstPaced, firstPaced + transitions, pacedRate));
        realResults.addAll(sample.draftsApproved(transitions, pacedRate));
      }
      printRealPath(realResults, index, mandates);
      checkUsable(baseUrl, workload, tenants, realTotal);

      // the direct fill, and the heap it costs
      long before = usedHeapAfterGc();
      IndexFiller.Filled filled =
          new IndexFiller(workload, tenants, index, context.getBean(DataSource.class)).fill(realTotal, mandates);
      long after = usedHeapAfterGc();
      System.out.printf("%nindex filled directly: %,d mandates in %.1f s (%,.0f/s), plus %,d mandate_authority"
              + " and %,d deny_mandate rows by COPY in %.1f s%n",
          filled.mandates(), filled.indexSeconds(), filled.mandates() / filled.indexSeconds(),
          filled.authorityRows(), filled.denyRows(), filled.copySeconds());
      System.out.printf("index size now %,d mandates%n", index.size());
      System.out.printf("HEAP: used after full GC %,.1f MB before the fill, %,.1f MB after: %,.1f MB for %,d"
              + " mandates = %,.0f bytes per mandate (%s; max heap %,.0f MB)%n",
          before / 1e6, after / 1e6, (after - before) / 1e6, filled.mandates(),
          (after - before) / (double) filled.mandates(), gcName(),
          Runtime.getRuntime().maxMemory() / 1e6);
      printClassHistogram(15);

      // let the real path's events settle (read model, ledger) so they do not run into the load
      JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
      t0 = System.nanoTime();
      long events = awaitLedger(jdbc, 300);
      System.out.printf("background settled in %.1f s: %,d events stored, all in the audit ledger%n",
          secondsSince(t0), events);

      // the load, with the pipeline watched meanwhile
      Path fixture = writeFixture(dataDir, port, workload, tenants, realTotal / tenantCount / 2);
      Path pgData = dataDir.toAbsolutePath().normalize().resolve("postgres");
      try (PipelineMonitor monitor = new PipelineMonitor(baseUrl, workload, tenants, index, jdbc, pgData)) {
        monitor.start();
        double loadStart = ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
        int exit = runClient(fixture, clientArgs);
        monitor.stopProbing();
        System.out.printf("load window (JVM uptime, s): %.3f %.3f%n", loadStart,
            ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
        if (exit != 0) {
          System.out.println("load client exited with " + exit);
        }
        // what the load left behind
        reportDrain(monitor, Integer.parseInt(options.get("ledger-drain-timeout")));
        monitor.close();
        monitor.print();
      }
      System.out.printf("server JVM: %s%n", gcSummary());
    } finally {
      if (context != null) {
        // the processors complain when their connections go away under them; nothing to see
        LoggingSystem.get(VerifyBench.class.getClassLoader()).setLogLevel(null, LogLevel.OFF);
        context.close();
      }
      if (!keepData) {
        deleteTree(dataDir);
      }
    }
    System.exit(0);
  }

  private static ConfigurableApplicationContext start(Path dataDir, int publisherBatch) {
    Map<String, Object> props = new HashMap<>();
    props.put("mandate-registry.data-dir", dataDir.toString());
    props.put("mandate-registry.embedded.postgres-port", 0);
    props.put("mandate-registry.embedded.kafka-port", 0);
    props.put("mandate-registry.dev-tenant", false);
    props.put("mandate-registry.cursor-secret", "verify-bench-cursor-secret");
    props.put("server.port", 0);
    if (publisherBatch > 1) {
      props.put("bench.publisher-batch", publisherBatch);
      System.out.println("EXPERIMENT: the Kafka publisher processes up to " + publisherBatch
          + " events per batch (infra: 1)");
    }
    props.put("logging.level.root", "WARN");
    props.put("logging.level.org.axonframework", "WARN");
    props.put("logging.level.org.axonframework.extensions.kafka", "WARN");
    String[] args =
        props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    return new SpringApplicationBuilder(InfraBeans.applicationClass(), BenchConfiguration.class)
        .initializers(c -> c.getBeanFactory().registerSingleton("benchScanExclusion", new BenchConfiguration.ScanExclusion()))
        .run(args);
  }

  private static void awaitIndexCaughtUp(ConfigurableApplicationContext context) throws InterruptedException {
    EventProcessingConfiguration processing = context.getBean(EventProcessingConfiguration.class);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      boolean caughtUp = processing
          .eventProcessor(VerificationConfiguration.INDEX_PROCESSOR, TrackingEventProcessor.class)
          .map(p -> !p.processingStatus().isEmpty()
              && p.processingStatus().values().stream().allMatch(s -> s.isCaughtUp()))
          .orElse(false);
      if (caughtUp) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the verification index processor did not catch up in 120 s");
  }

  /** Each event processor, its kind and (tracking) its batch size, as configured in the running service. */
  private static void printProcessors(ConfigurableApplicationContext context) {
    StringBuilder b = new StringBuilder("event processors:");
    context.getBean(EventProcessingConfiguration.class).eventProcessors().forEach((name, p) -> {
      b.append(' ').append(name).append(" (").append(p.getClass().getSimpleName());
      if (p instanceof TrackingEventProcessor) {
        try {
          var field = TrackingEventProcessor.class.getDeclaredField("batchSize");
          field.setAccessible(true);
          b.append(", batch ").append(field.get(p));
        } catch (ReflectiveOperationException | RuntimeException e) {
          b.append(", batch ?");
        }
      }
      b.append(");");
    });
    System.out.println(b);
  }

  private static InfraBeans.Tenant[] createTenants(ConfigurableApplicationContext context, int count)
      throws Exception {
    InfraBeans.Tenant[] tenants = new InfraBeans.Tenant[count];
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int n = i;
      done.add(pool.submit(() -> tenants[n] = InfraBeans.newTenant(context, n)));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    return tenants;
  }

  private static void printRealPath(List<RealPathSample.Result> results, VerificationIndex index, int mandates) {
    System.out.println();
    System.out.println("REAL PATH: POST /v1/mandates (and /suspend, /reactivate, /approve) over HTTP -> command"
        + " -> event store -> Kafka -> index");
    System.out.println("  run                    written  failed  rate/s  ack p50   ack p99 | lag p50  lag p90  lag p99"
        + "  lag max (ms; lag = 201 or 200 received -> the index at the version it answered)");
    for (RealPathSample.Result r : results) {
      System.out.printf("  %-22s %7d %7d %7.0f %8.2f %9.2f | %7.2f %8.2f %8.2f %8.2f%s%n",
          r.name(), r.written(), r.failed(), r.rate(),
          ms(r.ack(), 50), ms(r.ack(), 99),
          ms(r.lag(), 50), ms(r.lag(), 90), ms(r.lag(), 99), r.lag().getMaxValue() / 1000.0,
          r.lagTimeouts() > 0 ? "  (" + r.lagTimeouts() + " never seen in 120 s)" : "");
    }
    double rate = results.get(1).rate();
    System.out.printf("  at the saturated rate, %,d mandates through the real path would take %.1f min%n",
        mandates, mandates / rate / 60);
  }

  /** A few real-path mandates, verified over HTTP: ALLOW, as the lag measurement assumed. */
  private static void checkUsable(String baseUrl, Workload workload, InfraBeans.Tenant[] tenants, int realTotal)
      throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    SplittableRandom random = new SplittableRandom(7);
    int allowed = 0;
    int checks = 20;
    for (int i = 0; i < checks; i++) {
      Workload.Request request = workload.allow(random, realTotal / workload.tenants() / 2);
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(URI.create(baseUrl + "/v1/verify"))
              .header("Authorization", tenants[request.tenant()].bearer())
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(request.json()))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.body().contains("\"decision\":\"ALLOW\"")) {
        allowed++;
      } else if (checks - allowed <= 3) {
        System.out.println("  unexpected: " + response.statusCode() + " " + response.body());
      }
    }
    System.out.printf("  %d of %d real-path mandates checked over /v1/verify: ALLOW%n", allowed, checks);
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  /** The live classes taking most heap (jcmd GC.class_histogram, in-process). */
  private static void printClassHistogram(int lines) {
    try {
      String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
          new Object[] {new String[0]}, new String[] {String[].class.getName()});
      System.out.println("heap by class, whole JVM after the fill (GC.class_histogram, top " + lines + "):");
      histogram.lines().limit(lines + 2).forEach(l -> System.out.println("  " + l));
    } catch (Exception e) {
      System.out.println("(no class histogram: " + e + ")");
    }
  }

  /** Waits until every stored event is in the audit ledger; returns the number of events. */
  private static long awaitLedger(JdbcTemplate jdbc, int timeoutSeconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    long events = 0;
    while (System.nanoTime() < deadline) {
      events = count(jdbc, "domain_event_entry");
      if (count(jdbc, "ledger_entry") >= events) {
        return events;
      }
      Thread.sleep(200);
    }
    System.out.println("  (the ledger had not caught up after " + timeoutSeconds + " s)");
    return events;
  }

  /**
   * How far behind the publisher and the ledger were when the load stopped, and how long they took
   * to catch up with no load (up to {@code timeoutSeconds}).
   */
  private static void reportDrain(PipelineMonitor monitor, int timeoutSeconds) throws InterruptedException {
    long[] p = monitor.positions();
    System.out.printf("%nAFTER THE LOAD: %,d events stored; not yet published to Kafka %,d; not yet in the audit"
        + " ledger %,d; probe mandates not yet in the index %d%n", p[0], p[0] - p[1], p[0] - p[2],
        monitor.pendingProbes());
    long start = System.nanoTime();
    Map<Long, Object[]> threadsBefore = ProcessCpu.threadCpuById();
    long jvmBefore = ProcessCpu.jvmNanos();
    long deadline = start + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    double published = p[1] >= p[0] ? 0 : -1;
    double ledgered = p[2] >= p[0] ? 0 : -1;
    long[] now = p;
    while (System.nanoTime() < deadline && (published < 0 || ledgered < 0 || monitor.pendingProbes() > 0)) {
      Thread.sleep(1000);
      now = monitor.positions();
      if (published < 0 && now[1] >= p[0]) {
        published = secondsSince(start);
      }
      if (ledgered < 0 && now[2] >= p[0]) {
        ledgered = secondsSince(start);
      }
    }
    double waited = secondsSince(start);
    if (p[1] >= p[0] && p[2] >= p[0]) {
      System.out.println("  with no load: nothing to drain, the publisher and the ledger had caught up");
      return;
    }
    System.out.printf("  with no load: the publisher %s; the ledger %s%n",
        drained(p[0] - p[1], published, now[1] - p[1], waited, p[0] - now[1], "events"),
        drained(p[0] - p[2], ledgered, now[2] - p[2], waited, p[0] - now[2], "entries"));
    if (waited < 1) {
      return; // too short a window for CPU figures to mean anything
    }
    StringBuilder cpu = new StringBuilder();
    long threads = 0;
    for (Map.Entry<String, Long> e : ProcessCpu.threadCpuUsed(threadsBefore, ProcessCpu.threadCpuById()).entrySet()) {
      long used = e.getValue();
      threads += used;
      cpu.append(String.format(" %s %.2f", e.getKey(), used / 1e9 / waited));
    }
    System.out.printf("  service JVM CPU while draining, in cores: %.2f =%s, rest (gc, jit, ended threads) %.2f%n",
        (ProcessCpu.jvmNanos() - jvmBefore) / 1e9 / waited, cpu,
        (ProcessCpu.jvmNanos() - jvmBefore - threads) / 1e9 / waited);
  }

  /** How one stage of the pipeline caught up: {@code behind} at the start, {@code done} after. */
  private static String drained(long behind, double caughtUpAfter, long done, double waited, long left, String unit) {
    if (behind <= 0) {
      return "had caught up";
    }
    if (caughtUpAfter < 0) {
      return String.format("was still %,d behind after %.0f s", left, waited);
    }
    return String.format(
        "caught up within %.0f s (%,.0f %s/s)", Math.ceil(caughtUpAfter), done / caughtUpAfter, unit);
  }

  private static long count(JdbcTemplate jdbc, String table) {
    Long n = jdbc.queryForObject("SELECT count(*) FROM " + table, Long.class);
    return n == null ? 0 : n;
  }

  private static Path writeFixture(
      Path dir, int port, Workload workload, InfraBeans.Tenant[] tenants, int realDelegates) throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("host=127.0.0.1\nport=").append(port).append('\n');
    b.append("tenants=").append(workload.tenants()).append('\n');
    b.append("mandates=").append(workload.mandates()).append('\n');
    b.append("real.delegates=").append(realDelegates).append('\n');
    for (int i = 0; i < tenants.length; i++) {
      b.append("tenant.").append(i).append('=').append(tenants[i].id()).append(':').append(tenants[i].apiKey())
          .append('\n');
    }
    Path fixture = dir.resolve("fixture.properties");
    Files.writeString(fixture, b);
    return fixture;
  }

  private static int runClient(Path fixture, List<String> clientArgs) throws Exception {
    String classPath = System.getProperty("bench.client.classpath");
    if (classPath == null) {
      throw new IllegalStateException("-Dbench.client.classpath is not set (verify-bench.sh sets it)");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(System.getProperty("bench.client.jvm", "-Xmx512m -XX:+UseParallelGC").split(" ")));
    command.addAll(List.of("-cp", classPath, "com.mandateregistry.bench.load.LoadClient", fixture.toString()));
    command.addAll(clientArgs);
    System.out.println();
    System.out.println("load client: " + String.join(" ", command));
    return new ProcessBuilder(command).inheritIO().start().waitFor();
  }

  private static String gcName() {
    return ManagementFactory.getGarbageCollectorMXBeans().get(0).getName().split(" ")[0];
  }

  private static String gcSummary() {
    StringBuilder b = new StringBuilder();
    ManagementFactory.getGarbageCollectorMXBeans().forEach(gc ->
        b.append(gc.getName()).append(": ").append(gc.getCollectionCount()).append(" collections, ")
            .append(gc.getCollectionTime()).append(" ms; "));
    return b.toString();
  }

  private static double ms(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1000.0;
  }

  private static double secondsSince(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package com.mandateregistry.bench.server;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the load client reads between its runs, as plain {@code key value} lines: CPU time of the
 * server JVM (in total and by kind of thread), of its PostgreSQL processes, and GC counts; and the
 * server-side timings. Registered only by {@link BenchConfiguration}.
 */
@RestController
class BenchStatsController {

  private static final long TICK_NANOS = 10_000_000L; // USER_HZ = 100 on Linux

  private final Path pgData;

  BenchStatsController(Environment env) {
    this.pgData = Path.of(env.getProperty("mandate-registry.data-dir", "./data"))
        .toAbsolutePath().normalize().resolve("postgres");
  }

  @GetMapping(value = "/v1/bench/stats", produces = "text/plain")
  String stats() {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long gcCount = 0;
    long gcMillis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcCount += Math.max(0, gc.getCollectionCount());
      gcMillis += Math.max(0, gc.getCollectionTime());
    }
    StringBuilder b = new StringBuilder();
    b.append("jvm_cpu_ns ").append(os.getProcessCpuTime()).append('\n');
    b.append("pg_cpu_ns ").append(postgresCpuNanos()).append('\n');
    b.append("gc_count ").append(gcCount).append('\n');
    b.append("gc_ms ").append(gcMillis).append('\n');
    threadCpu().forEach((group, nanos) -> b.append("threads.").append(group).append(' ').append(nanos).append('\n'));
    return b.toString();
  }

  @GetMapping(value = "/v1/bench/server-timing", produces = "text/plain")
  String serverTiming() {
    return ServerTiming.report();
  }

  /**
   * CPU time of the live threads, summed by what they do. Threads that ended are lost, so only
   * differences over a run between two reads, with the same long-lived threads, mean something.
   */
  static Map<String, Long> threadCpu() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, Long> byGroup = new TreeMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long cpu = threads.getThreadCpuTime(info.getThreadId());
      if (cpu > 0) {
        byGroup.merge(group(info.getThreadName()), cpu, Long::sum);
      }
    }
    return byGroup;
  }

  static String group(String thread) {
    String t = thread.toLowerCase(Locale.ROOT);
    if (t.startsWith("http-nio")) {
      return "http";
    } else if (t.equals("decision-recorder")) {
      return "recorder";
    } else if (t.contains("audit-ledger")) {
      return "ledger";
    } else if (t.contains("publishing")) {
      return "publisher";
    } else if (t.contains("verification-index") || t.contains("read-model")) {
      return "projections";
    } else if (t.contains("kafka") || t.contains("raft") || t.contains("asyncfetcher") || t.contains("broker")
        || t.contains("replica") || t.contains("quorum") || t.contains("controller")) {
      return "kafka";
    } else if (t.startsWith("bench-") || t.startsWith("pool-") || t.equals("main")) {
      return "bench";
    }
    return "other";
  }

  /** User + system CPU of the PostgreSQL server: the postmaster and every backend (Linux /proc). */
  long postgresCpuNanos() {
    Optional<ProcessHandle> postmaster = postmaster();
    if (postmaster.isEmpty()) {
      return 0;
    }
    long ticks = Stream.concat(Stream.of(postmaster.get()), postmaster.get().descendants())
        .mapToLong(p -> {
          try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
          } catch (IOException | RuntimeException e) {
            return 0; // the process just ended
          }
        })
        .sum();
    return ticks * TICK_NANOS;
  }

  private Optional<ProcessHandle> postmaster() {
    try {
      String first = Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).trim();
      return ProcessHandle.of(Long.parseLong(first));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}

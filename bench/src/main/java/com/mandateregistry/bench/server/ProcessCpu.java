package com.mandateregistry.bench.server;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
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

/** CPU time of this JVM, of its embedded PostgreSQL server, and of the whole machine (Linux /proc). */
public final class ProcessCpu {

  private static final long TICK_NANOS = 10_000_000L; // USER_HZ = 100 on Linux

  private ProcessCpu() {}

  /** CPU time of this JVM, all threads (GC and JIT included). */
  public static long jvmNanos() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /**
   * User + system CPU of the PostgreSQL server whose data directory is {@code pgData}: the
   * postmaster (from {@code postmaster.pid}) and every backend. 0 when it cannot be found.
   */
  public static long postgresNanos(Path pgData) {
    Optional<ProcessHandle> postmaster;
    try {
      postmaster = ProcessHandle.of(Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).trim()));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
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

  /** {busy, total} CPU ticks of the whole machine since boot (all processes, ours or not). */
  public static long[] machineTicks() {
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
      return new long[] {busy, total};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  /**
   * CPU time of the live threads, summed by what they do. Threads that ended are lost, so only
   * differences over a run between two reads, with the same long-lived threads, mean something.
   */
  public static Map<String, Long> threadCpu() {
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

}

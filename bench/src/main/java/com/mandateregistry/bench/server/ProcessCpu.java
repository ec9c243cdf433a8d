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
            return cpuTicks(Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat")));
          } catch (IOException | RuntimeException e) {
            return 0; // the process just ended
          }
        })
        .sum();
    return ticks * TICK_NANOS;
  }

  /** User + system CPU ticks from a process's or thread's {@code stat} line (after the name). */
  private static long cpuTicks(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
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
   * CPU time of the live threads, by thread id: {@code {group, nanos}} where the group says what
   * the thread does (see {@link #group}). Compare two readings with {@link #threadCpuUsed}.
   */
  public static Map<Long, Object[]> threadCpuById() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<Long, Object[]> byId = new TreeMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long cpu = threads.getThreadCpuTime(info.getThreadId());
      if (cpu > 0) {
        byId.put(info.getThreadId(), new Object[] {group(info.getThreadName()), cpu});
      }
    }
    return byId;
  }

  /**
   * CPU used by group between two readings: threads that ended in between are not counted (their
   * time is lost), threads that started in between count in full.
   */
  public static Map<String, Long> threadCpuUsed(Map<Long, Object[]> before, Map<Long, Object[]> after) {
    Map<String, Long> used = new TreeMap<>();
    after.forEach((id, v) -> {
      Object[] b = before.get(id);
      long start = b == null ? 0 : (Long) b[1];
      used.merge((String) v[0], (Long) v[1] - start, Long::sum);
    });
    return used;
  }

  /**
   * Sums a reading of live threads ({@code {group, nanos}} by thread id) by group, adding what the
   * threads that have ended since the previous reading had used when it last saw them, so that two
   * readings can be subtracted. {@code lastSeen} and {@code ended} carry that over between calls.
   */
  private static Map<String, Long> withEndedThreads(
      Map<Long, Object[]> now, Map<Long, Object[]> lastSeen, Map<String, Long> ended) {
    lastSeen.forEach((id, v) -> {
      if (!now.containsKey(id)) {
        ended.merge((String) v[0], (Long) v[1], Long::sum);
      }
    });
    lastSeen.clear();
    lastSeen.putAll(now);
    Map<String, Long> byGroup = new TreeMap<>(ended);
    now.values().forEach(v -> byGroup.merge((String) v[0], (Long) v[1], Long::sum));
    return byGroup;
  }

  private static final Map<Long, Object[]> LAST_SEEN = new TreeMap<>();
  private static final Map<String, Long> ENDED = new TreeMap<>();

  /** CPU time used so far by group, threads that have ended included (see {@link #withEndedThreads}). */
  public static synchronized Map<String, Long> threadCpu() {
    return withEndedThreads(threadCpuById(), LAST_SEEN, ENDED);
  }

  private static final Map<Long, Object[]> NATIVE_LAST_SEEN = new TreeMap<>();
  private static final Map<String, Long> NATIVE_ENDED = new TreeMap<>();

  /**
   * CPU time used so far by the JVM's own threads, which {@link ThreadMXBean} does not list: {@code
   * jit} (the C1 and C2 compiler threads) and {@code gc} (the collector's threads and the VM thread
   * that runs its pauses), from {@code /proc/self/task}. Threads that have ended are counted with
   * what they had used when a previous call last saw them (the JVM starts and stops compiler
   * threads as the compile queue grows and shrinks). Empty where there is no {@code /proc}.
   */
  public static synchronized Map<String, Long> jvmInternalCpu() {
    Map<Long, Object[]> now = new TreeMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      tasks.forEach(task -> {
        try {
          String kind = internalKind(Files.readString(task.resolve("comm")).trim());
          if (kind != null) {
            long nanos = cpuTicks(Files.readString(task.resolve("stat"))) * TICK_NANOS;
            now.put(Long.parseLong(task.getFileName().toString()), new Object[] {kind, nanos});
          }
        } catch (IOException | RuntimeException e) {
          // the thread just ended
        }
      });
    } catch (IOException | RuntimeException e) {
      return Map.of();
    }
    return withEndedThreads(now, NATIVE_LAST_SEEN, NATIVE_ENDED);
  }

  /** "jit", "gc" or null (any other thread) for a thread's name as the kernel keeps it (15 characters). */
  static String internalKind(String comm) {
    if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
      return "jit";
    }
    // G1's and Parallel's workers, G1's concurrent and refinement threads, ZGC's (ZWorker…,
    // ZDirector, …: never a Java thread's name, which would be counted twice) and Shenandoah's,
    // and the VM thread, which runs every safepoint operation (the pauses among them)
    if (comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.matches("Z[A-Z].*")
        || comm.startsWith("Shenandoah") || comm.equals("VM Thread")) {
      return "gc";
    }
    return null;
  }

  static String group(String thread) {
    String t = thread.toLowerCase(Locale.ROOT);
    if (t.startsWith("http-nio")) {
      return "http";
    } else if (t.equals("decision-recorder")) {
      return "recorder";
    } else if (t.contains("ledger")) { // the processor and its ledger-signing-N threads
      return "ledger";
    } else if (t.contains("publishing") || t.startsWith("embeddedeventstore")) { // and its store reader
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

package com.mandateregistry.bench.server;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
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

  private final Path pgData;

  BenchStatsController(Environment env) {
    this.pgData = Path.of(env.getProperty("mandate-registry.data-dir", "./data"))
        .toAbsolutePath().normalize().resolve("postgres");
  }

  @GetMapping(value = "/v1/bench/stats", produces = "text/plain")
  String stats() {
    long gcCount = 0;
    long gcMillis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcCount += Math.max(0, gc.getCollectionCount());
      gcMillis += Math.max(0, gc.getCollectionTime());
    }
    StringBuilder b = new StringBuilder();
    b.append("jvm_cpu_ns ").append(ProcessCpu.jvmNanos()).append('\n');
    b.append("pg_cpu_ns ").append(postgresCpuNanos()).append('\n');
    b.append("gc_count ").append(gcCount).append('\n');
    b.append("gc_ms ").append(gcMillis).append('\n');
    ProcessCpu.threadCpu().forEach((group, nanos) -> b.append("threads.").append(group).append(' ').append(nanos).append('\n'));
    ProcessCpu.jvmInternalCpu().forEach((kind, nanos) -> b.append("internal.").append(kind).append(' ').append(nanos).append('\n'));
    return b.toString();
  }

  @GetMapping(value = "/v1/bench/server-timing", produces = "text/plain")
  String serverTiming() {
    return ServerTiming.report();
  }

  long postgresCpuNanos() {
    return ProcessCpu.postgresNanos(pgData);
  }
}

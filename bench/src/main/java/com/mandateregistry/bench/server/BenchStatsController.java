package com.mandateregistry.bench.server;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the load client reads between its runs, as plain {@code key value} lines: CPU time of the
 * server JVM (in total and by kind of thread), of its PostgreSQL processes, and GC counts; and the
 * server-side timings; and how far the publishers and the ledger are behind the event store.
 * Registered only by {@link BenchConfiguration}.
 */
@RestController
class BenchStatsController {

  /** The processors that read the event store: the two Kafka publishers. */
  private static final String PUBLISHER_TOKENS =
      "SELECT convert_from(token, 'UTF8') FROM token_entry"
          + " WHERE processor_name = 'changes-publisher' OR processor_name LIKE '%event-publishing%'";

  private final Path pgData;
  private final JdbcTemplate jdbc;

  BenchStatsController(Environment env, JdbcTemplate jdbc) {
    this.jdbc = jdbc;
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

  /**
   * How far the pipeline behind the event store has got: {@code stored_index}, the store's highest
   * global index; {@code published}, the lowest index the two Kafka publishers' tracking tokens
   * have reached (0 while one has none); {@code ledgered}, the entries in the audit ledger (the sum
   * of its chains' lengths; the ledger reads Kafka, not the store). With {@code count=true} also
   * {@code stored_count}, the events in the store: a count of the table, so asked once per wait,
   * not at every poll. Everything stored has been published and chained once {@code published}
   * has reached {@code stored_index} and {@code ledgered} {@code stored_count}.
   */
  @GetMapping(value = "/v1/bench/backlog", produces = "text/plain")
  String backlog(@RequestParam(defaultValue = "false") boolean count) {
    StringBuilder b = new StringBuilder();
    b.append("stored_index ")
        .append(jdbc.queryForObject("SELECT coalesce(max(global_index), 0) FROM domain_event_entry", Long.class))
        .append('\n');
    if (count) {
      b.append("stored_count ")
          .append(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class)).append('\n');
    }
    List<String> tokens = jdbc.queryForList(PUBLISHER_TOKENS, String.class);
    long published = tokens.size() < 2 ? 0 : Long.MAX_VALUE;
    for (String token : tokens) {
      published = Math.min(published, TrackingTokens.index(token));
    }
    b.append("published ").append(published).append('\n');
    b.append("ledgered ")
        .append(jdbc.queryForObject("SELECT coalesce(sum(sequence), 0) FROM ledger_chain_head", Long.class))
        .append('\n');
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

package com.mandateregistry.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/** Prints the load client's tables and checks the targets. Durations in milliseconds. */
final class Report {

  private Report() {}

  static void print(
      LoadClient.Options options,
      Map<String, LoadClient.Totals> open,
      Map<String, LoadClient.Totals> saturated,
      Map<String, long[]> server) {
    System.out.println();
    System.out.printf("OPEN LOOP at %d req/s, latency from the intended send time (ms), %d rounds x %.0f s"
            + " per scenario, interleaved; count, rate and latency are of right answers only, errors apart%n",
        options.rate, options.rounds, options.slice);
    System.out.println("scenario       achieved/s   count      p50      p90      p99    p99.9      max  errors"
        + "  | p99 by round");
    open.forEach((name, t) -> System.out.printf("%-13s %10.0f %7d %s %7d  | %s%n",
        name, t.count / t.seconds, t.count, percentiles(t.latency), t.errorCount(), rounds(t.roundP99)));
    errors(open);

    System.out.println();
    System.out.println("same runs: client-side service time (from the actual send), how late the client"
        + " dispatched, and server time in Tomcat (ms)");
    System.out.println("scenario      service p50  p99 | dispatch late p50  p99 | server p50    p99  p99.9   mean");
    open.forEach((name, t) -> {
      long[] s = server.get("open:" + name + " request");
      System.out.printf("%-13s %9.2f %6.2f | %15.2f %6.2f | %s%n", name,
          ms(t.service.getValueAtPercentile(50)), ms(t.service.getValueAtPercentile(99)),
          ms(t.lateness.getValueAtPercentile(50)), ms(t.lateness.getValueAtPercentile(99)),
          s == null ? "-" : String.format("%9.2f %6.2f %6.2f %6.2f", ms(s[1]), ms(s[3]), ms(s[4]), ms(s[6])));
    });

    System.out.println();
    System.out.println("server time by part, open loop (ms; count, p50, p99, mean)");
    open.keySet().forEach(name -> server.forEach((key, v) -> {
      if (key.startsWith("open:" + name + " ") && !key.endsWith(" request")) {
        System.out.printf("  %-13s %-38s %7d %7.3f %7.3f %7.3f%n", name, key.substring(key.indexOf(' ') + 1),
            v[0], ms(v[1]), ms(v[3]), ms(v[6]));
      }
    }));

    System.out.println();
    System.out.println("CPU per request, open loop (µs): the service's JVM by thread group (http = Tomcat"
        + " workers; gc = the collector's threads and the VM thread, jit = the compiler threads, rest = the"
        + " rest of the process), its PostgreSQL, the client; busy = whole machine");
    cpuHeader();
    open.forEach((name, t) -> cpu(name, t));

    System.out.println();
    System.out.println("RATIOS to the no-op floor (open loop p99; overall, and the median of the per-round ratios)");
    LoadClient.Totals noop = open.get("noop");
    for (String name : open.keySet()) {
      if (name.equals("noop") || noop == null) {
        continue;
      }
      LoadClient.Totals t = open.get(name);
      System.out.printf("  %-13s p99 / noop p99 = %5.2f   (rounds: %s; median %.2f)%n", name,
          (double) t.latency.getValueAtPercentile(99) / noop.latency.getValueAtPercentile(99),
          ratios(t.roundP99, noop.roundP99).stream().map(r -> String.format("%.2f", r))
              .collect(Collectors.joining(" ")),
          median(ratios(t.roundP99, noop.roundP99)));
    }

    if (!saturated.isEmpty()) {
      System.out.println();
      System.out.printf("SATURATION (closed loop, %d rounds x %.0f s per scenario; latency from send, ms;"
              + " right answers only, errors apart)%n", options.satRounds, options.satSlice);
      System.out.println("scenario x workers   req/s    count      p50      p90      p99    p99.9      max  errors"
          + "  | req/s by round");
      saturated.forEach((name, t) -> System.out.printf("%-17s %8.0f %8d %s %7d  | %s%n",
          name, t.count / t.seconds, t.count, percentiles(t.latency), t.errorCount(),
          t.roundRate.stream().map(r -> String.format("%.0f", r)).collect(Collectors.joining(" "))));
      errors(saturated);
      System.out.println("CPU per request at saturation (µs)");
      cpuHeader();
      saturated.forEach((name, t) -> cpu(name, t));
      System.out.println("server time by part at saturation (ms; count, p50, p99, mean)");
      server.forEach((key, v) -> {
        if (key.startsWith("sat")) {
          System.out.printf("  %-52s %7d %7.3f %7.3f %7.3f%n", key, v[0], ms(v[1]), ms(v[3]), ms(v[6]));
        }
      });
    }

    System.out.println();
    System.out.println("TARGETS");
    target("verify p99 at " + options.rate + "/s <= 5 ms", open.get("verify"), 5.0);
    target("verify+proof p99 at " + options.rate + "/s <= 10 ms", open.get("verify+proof"), 10.0);
    if (noop != null && open.get("verify") != null) {
      // judged on the larger of the overall ratio and the median of the rounds' ratios: one slow
      // round of the no-op alone (the machine, not the service) must not make the overall one pass
      LoadClient.Totals verify = open.get("verify");
      double overall = (double) verify.latency.getValueAtPercentile(99) / noop.latency.getValueAtPercentile(99);
      double ratio = Math.max(overall, median(ratios(verify.roundP99, noop.roundP99)));
      System.out.printf("  %-44s %6.2f  %s%n", "verify p99 / noop p99 <= 2 (overall, rounds)", ratio,
          verdict(ratio, 2.0, false, verify.errorCount() + noop.errorCount()));
    }
    // saturation is the most the server completes: the best of the worker counts tried (with more
    // requests in flight, the group commit, the publishers and the ledger work in larger batches)
    // (only worker counts whose every answer was right compete for the best)
    double best = 0;
    String bestName = null;
    for (var e : saturated.entrySet()) {
      if (e.getKey().startsWith("verify ")) {
        LoadClient.Totals t = e.getValue();
        double rate = t.count / t.seconds;
        System.out.printf("  %-44s %6.0f  %s%n", "verifications/s at saturation (" + e.getKey() + ") >= 3000", rate,
            verdict(rate, 3000, true, t.errorCount()));
        if (t.errorCount() == 0 && rate > best) {
          best = rate;
          bestName = e.getKey();
        }
      }
    }
    if (bestName != null) {
      System.out.printf("  %-44s %6.0f  %s%n", "verifications/s at saturation, best (" + bestName + ")", best,
          verdict(best, 3000, true, 0));
    }
  }

  private static void target(String what, LoadClient.Totals t, double limitMs) {
    if (t == null) {
      System.out.printf("  %-44s %6s  NOT MEASURED (see above)%n", what, "-");
      return;
    }
    double p99 = ms(t.latency.getValueAtPercentile(99));
    System.out.printf("  %-44s %6.2f  %s%n", what, p99, verdict(p99, limitMs, false, t.errorCount()));
  }

  /**
   * MET or MISSED by how much; INVALID when any answer behind the figure was wrong or failed,
   * since those are left out of it (a server that fails fast would otherwise look fast).
   */
  static String verdict(double value, double limit, boolean atLeast, long errors) {
    if (errors > 0) {
      return "INVALID (" + errors + " errors)";
    }
    boolean met = atLeast ? value >= limit : value <= limit;
    if (met) {
      return "MET";
    }
    return String.format("MISSED by %.2fx", atLeast ? limit / value : value / limit);
  }

  private static final List<String> GROUPS =
      List.of("http", "recorder", "ledger", "publisher", "projections", "kafka", "other");

  private static void cpuHeader() {
    System.out.printf("  %-17s %6s = %s %5s %5s %5s | %5s %6s %5s | %5s | %s%n", "", "server",
        GROUPS.stream().map(g -> String.format("%6s", g.length() > 6 ? g.substring(0, 6) : g))
            .collect(Collectors.joining(" ")),
        "gc", "jit", "rest", "pg", "client", "total", "busy", "server GC");
  }

  private static void cpu(String name, LoadClient.Totals t) {
    LoadClient.Usage u = t.usage;
    double n = Math.max(1, t.count) * 1000.0;
    long threads = 0;
    StringBuilder groups = new StringBuilder();
    for (String g : GROUPS) {
      long v = u.get("threads." + g);
      threads += v;
      groups.append(String.format("%6.0f ", v / n));
    }
    long jvm = u.get("jvm_cpu_ns");
    long gc = u.get("internal.gc");
    long jit = u.get("internal.jit");
    long total = jvm + u.get("pg_cpu_ns") + u.get("client_cpu_ns");
    long machineTotal = u.get("machine_total");
    System.out.printf("  %-17s %6.0f = %s%5.0f %5.0f %5.0f | %5.0f %6.0f %5.0f | %4.0f%% | %d (%d ms)%n",
        name, jvm / n, groups, gc / n, jit / n, (jvm - threads - gc - jit) / n, u.get("pg_cpu_ns") / n, u.get("client_cpu_ns") / n, total / n,
        machineTotal == 0 ? 0 : 100.0 * u.get("machine_busy") / machineTotal, u.get("gc_count"), u.get("gc_ms"));
  }

  private static void errors(Map<String, LoadClient.Totals> totals) {
    totals.forEach((name, t) -> {
      if (t.errorCount() > 0) {
        System.out.printf("  errors of %s: %s%n", name, t.errors);
      }
    });
  }

  private static String percentiles(Histogram h) {
    return String.format("%8.2f %8.2f %8.2f %8.2f %8.2f", ms(h.getValueAtPercentile(50)),
        ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)),
        ms(h.getMaxValue()));
  }

  private static String rounds(List<Long> p99s) {
    return p99s.stream().map(v -> String.format("%.2f", ms(v))).collect(Collectors.joining(" "));
  }

  private static List<Double> ratios(List<Long> a, List<Long> b) {
    List<Double> r = new ArrayList<>();
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      r.add((double) a.get(i) / b.get(i));
    }
    return r;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().collect(Collectors.toList());
    int n = sorted.size();
    if (n == 0) {
      return Double.NaN;
    }
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static double ms(long micros) {
    return micros / 1000.0;
  }
}

package com.mandateregistry.bench.server;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Server-side durations, by benchmark phase (the {@code X-Bench-Phase} request header the load
 * client sends) and by what was timed: {@code request} (the whole request inside Tomcat, see
 * {@link TimingValve}) or one of the methods {@link MethodTiming} wraps. Microseconds.
 * Recording is wait-free (HdrHistogram {@link Recorder}); requests without the header are not
 * recorded.
 */
public final class ServerTiming {

  public static final String PHASE_HEADER = "X-Bench-Phase";

  private static final ThreadLocal<String> PHASE = new ThreadLocal<>();
  private static final Map<String, Recorder> RECORDERS = new ConcurrentHashMap<>();
  private static final Map<String, Histogram> TOTALS = new TreeMap<>();

  private static volatile String lastPhase = "";

  private ServerTiming() {}

  /** The phase of the latest benchmark request the server saw ("" before the first). */
  public static String lastPhase() {
    return lastPhase;
  }

  /** Sets the phase of the request on this thread (null clears it). */
  static void phase(String phase) {
    if (phase == null) {
      PHASE.remove();
    } else {
      PHASE.set(phase);
      if (!phase.equals(lastPhase)) {
        lastPhase = phase;
      }
    }
  }

  /** The phase of the request on this thread, or null outside a benchmark request. */
  static String phase() {
    return PHASE.get();
  }

  /** Records {@code nanos} under the current thread's phase, if any. */
  static void record(String what, long nanos) {
    String phase = PHASE.get();
    if (phase == null) {
      return;
    }
    RECORDERS
        .computeIfAbsent(phase + " " + what, k -> new Recorder(3))
        .recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos)));
  }

  /**
   * One line per phase and timed thing, cumulative since the start: {@code phase what count p50
   * p90 p99 p99.9 max mean}, durations in microseconds.
   */
  static synchronized String report() {
    RECORDERS.forEach(
        (key, recorder) ->
            TOTALS.computeIfAbsent(key, k -> new Histogram(3)).add(recorder.getIntervalHistogram()));
    StringBuilder b = new StringBuilder();
    TOTALS.forEach(
        (key, h) ->
            b.append(key).append(' ').append(h.getTotalCount())
                .append(' ').append(h.getValueAtPercentile(50))
                .append(' ').append(h.getValueAtPercentile(90))
                .append(' ').append(h.getValueAtPercentile(99))
                .append(' ').append(h.getValueAtPercentile(99.9))
                .append(' ').append(h.getMaxValue())
                .append(' ').append(Math.round(h.getMean()))
                .append('\n'));
    return b.toString();
  }
}

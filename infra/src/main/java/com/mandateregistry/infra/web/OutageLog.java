package com.mandateregistry.infra.web;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the requests refused because the database is unavailable: the first at once, then at most
 * one line per {@link #INTERVAL}, saying how many were refused in between. An outage under load
 * would otherwise log a line per request, thousands a second.
 */
public final class OutageLog {

  /** The shortest time between two lines. */
  public static final Duration INTERVAL = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(OutageLog.class);
  private static final OutageLog SHARED = new OutageLog(System::nanoTime, log);

  private final LongSupplier nanoTime;
  private final Logger target;
  private final AtomicLong nextLineAt;
  private final AtomicLong refused = new AtomicLong();

  OutageLog(LongSupplier nanoTime, Logger target) {
    this.nanoTime = nanoTime;
    this.target = target;
    this.nextLineAt = new AtomicLong(nanoTime.getAsLong());
  }

  /** The one instance the web layer and the API-key filter share. */
  public static OutageLog shared() {
    return SHARED;
  }

  /** Counts a refused request and logs it, unless a line was logged less than the interval ago. */
  public void refused(String what, Throwable cause) {
    refused.incrementAndGet();
    long now = nanoTime.getAsLong();
    long due = nextLineAt.get();
    if (now - due >= 0 && nextLineAt.compareAndSet(due, now + INTERVAL.toNanos())) {
      long since = refused.getAndSet(0);
      target.warn(
          "answered 503, the database is unavailable ({}{}): {}",
          what,
          since > 1 ? "; " + (since - 1) + " more refused since the last line" : "",
          cause.toString());
    }
  }
}

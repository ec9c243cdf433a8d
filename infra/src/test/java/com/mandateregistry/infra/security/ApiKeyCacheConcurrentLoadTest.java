package com.mandateregistry.infra.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Loads of one key that is not cached (an unknown key id, or any key while PostgreSQL is
 * unreachable and the pool waits out its connection timeout) run side by side, not one after
 * another: each request answers within one connection timeout (README: 503 "within
 * spring.datasource.hikari.connection-timeout", a key not cached included). With the load inside
 * Caffeine's per-key compute, eight requests with one key took eight timeouts.
 */
class ApiKeyCacheConcurrentLoadTest {

  @Test
  void concurrentLoadsOfAKeyNotCached_runInParallel_notOneAfterAnother() throws Exception {
    ApiKeyCache cache = new ApiKeyCache(Duration.ofSeconds(30), 100, Ticker.systemTicker());
    long connectionTimeoutMillis = 500; // stands for Hikari's 5 s while PostgreSQL is unreachable
    int requests = 8;
    ExecutorService pool = Executors.newFixedThreadPool(requests);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Long>> answered = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      answered.add(pool.submit(() -> {
        start.await();
        long t0 = System.nanoTime();
        try {
          cache.get("key_1", id -> {
            try {
              Thread.sleep(connectionTimeoutMillis);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("CannotGetJdbcConnectionException: connection is not available");
          });
        } catch (IllegalStateException expected) {
          // the 503
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      }));
    }
    start.countDown();
    long slowest = 0;
    for (Future<Long> f : answered) {
      slowest = Math.max(slowest, f.get(30, TimeUnit.SECONDS));
    }
    pool.shutdown();
    assertThat(slowest)
        .as("the slowest of %d concurrent requests with one key not cached, each load taking %d ms", requests,
            connectionTimeoutMillis)
        .isLessThan(2 * connectionTimeoutMillis);
  }
}

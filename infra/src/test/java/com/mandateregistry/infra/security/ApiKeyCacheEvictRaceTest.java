package com.mandateregistry.infra.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A key revoked and forgotten on this node ({@link ApiKeyCache#evict}) stops working here at once,
 * even while a request that read its row before the revocation is still loading it: the load and
 * the evict are atomic per key, so the evict waits for the load and then removes what it found. A
 * separate read and put cached the revoked key again for a whole TTL (30 s by default).
 */
class ApiKeyCacheEvictRaceTest {

  private final AtomicLong nanos = new AtomicLong();
  private final Ticker ticker = nanos::get;

  @Test
  void aLoadRacingAnEvict_doesNotCacheTheRevokedKeyAgain() throws Exception {
    ApiKeyCache cache = new ApiKeyCache(Duration.ofSeconds(30), 100, ticker);
    Map<String, ApiKeyCache.StoredKey> table = new ConcurrentHashMap<>();
    table.put("key_1", new ApiKeyCache.StoredKey("tnt_1", new byte[] {1}, Set.of("mandates:read")));
    CountDownLatch rowRead = new CountDownLatch(1);
    CountDownLatch goOn = new CountDownLatch(1);

    // request A: misses the cache, reads the row (not yet revoked), and is slow to put it
    Thread requestA = new Thread(() -> cache.get("key_1", id -> {
      Optional<ApiKeyCache.StoredKey> row = Optional.ofNullable(table.get(id));
      rowRead.countDown();
      try {
        goOn.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return row;
    }));
    requestA.start();
    assertThat(rowRead.await(10, TimeUnit.SECONDS)).isTrue();

    // meanwhile the key is revoked in the database and forgotten on this node
    table.remove("key_1");
    Thread forget = new Thread(() -> cache.evict("key_1"));
    forget.start();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (forget.isAlive() && forget.getState() == Thread.State.RUNNABLE && System.nanoTime() < until) {
      Thread.onSpinWait(); // done, or waiting for request A's load (an atomic cache would wait)
    }
    goOn.countDown();
    requestA.join(10_000);
    forget.join(10_000);

    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(cache.get("key_1", id -> Optional.ofNullable(table.get(id))))
        .as("a request 1 s after the key was revoked and forgotten on this node")
        .isEmpty();
  }
}

package com.mandateregistry.infra.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ApiKeyCacheTest {

  private final AtomicLong nanos = new AtomicLong();
  private final Ticker ticker = nanos::get;
  private final Map<String, ApiKeyCache.StoredKey> table = new HashMap<>();
  private final AtomicInteger reads = new AtomicInteger();
  private final Function<String, Optional<ApiKeyCache.StoredKey>> database =
      id -> {
        reads.incrementAndGet();
        return Optional.ofNullable(table.get(id));
      };

  @Test
  void aKeyIsReadOnceWithinTheTtl() {
    table.put("key_1", new ApiKeyCache.StoredKey("tnt_1", new byte[] {1}, Set.of("mandates:read")));
    ApiKeyCache cache = new ApiKeyCache(Duration.ofSeconds(30), 100, ticker);

    assertThat(cache.get("key_1", database)).map(ApiKeyCache.StoredKey::tenantId).contains("tnt_1");
    nanos.addAndGet(Duration.ofSeconds(29).toNanos());
    assertThat(cache.get("key_1", database)).isPresent();

    assertThat(reads).hasValue(1);
  }

  @Test
  void aRevokedKeyIsRefusedOnceTheTtlHasPassed() {
    table.put("key_1", new ApiKeyCache.StoredKey("tnt_1", new byte[] {1}, Set.of("mandates:read")));
    ApiKeyCache cache = new ApiKeyCache(Duration.ofSeconds(30), 100, ticker);
    cache.get("key_1", database);

    table.remove("key_1"); // revoked in the database, by another node
    assertThat(cache.get("key_1", database)).as("still within the TTL").isPresent();
    nanos.addAndGet(Duration.ofSeconds(30).toNanos());

    assertThat(cache.get("key_1", database)).isEmpty();
  }

  @Test
  void evictForgetsAtOnce() {
    table.put("key_1", new ApiKeyCache.StoredKey("tnt_1", new byte[] {1}, Set.of("mandates:read")));
    ApiKeyCache cache = new ApiKeyCache(Duration.ofSeconds(30), 100, ticker);
    cache.get("key_1", database);
    table.remove("key_1");

    cache.evict("key_1");

    assertThat(cache.get("key_1", database)).isEmpty();
  }

  @Test
  void anUnknownKeyIsNotRemembered_soAKeyIssuedElsewhereWorksAtOnce() {
    ApiKeyCache cache = new ApiKeyCache(Duration.ofSeconds(30), 100, ticker);
    assertThat(cache.get("key_2", database)).isEmpty();

    table.put("key_2", new ApiKeyCache.StoredKey("tnt_2", new byte[] {2}, Set.of("mandates:read")));

    assertThat(cache.get("key_2", database)).isPresent();
    assertThat(reads).hasValue(2);
  }

  @Test
  void aZeroTtlReadsEveryTime() {
    table.put("key_1", new ApiKeyCache.StoredKey("tnt_1", new byte[] {1}, Set.of("mandates:read")));
    ApiKeyCache cache = new ApiKeyCache(Duration.ZERO, 100, ticker);

    cache.get("key_1", database);
    cache.get("key_1", database);

    assertThat(reads).hasValue(2);
  }

  @Test
  void aNegativeTtlIsRefused() {
    assertThatThrownBy(() -> new ApiKeyCache(Duration.ofSeconds(-1), 100, ticker))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be negative");
  }
}

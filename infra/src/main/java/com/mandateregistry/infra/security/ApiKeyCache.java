package com.mandateregistry.infra.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The stored half of API keys that were recently found in {@code api_key_credential}, so that a
 * request does not cost a database read: key id → tenant, SHA-256 of the secret and scopes.
 *
 * <p>What is cached is exactly the row: the presented secret is still hashed and compared with it
 * on every request, so a wrong secret for a cached key id is refused like any other. Only keys
 * that exist and are not revoked are cached; an unknown key id is looked up every time, so a key
 * issued on another node works there at once. A cached entry lives at most {@code ttl} after it
 * was read: a key revoked on another node (or in the database) stops working on this node within
 * that time, and at once on the node that revokes it ({@link #evict}). A {@code ttl} of zero turns
 * the cache off.
 */
final class ApiKeyCache {

  /** A key's row as stored: whose it is, the hash of its secret and its scopes. */
  record StoredKey(String tenantId, byte[] secretHash, Set<String> scopes) {}

  private final Cache<String, StoredKey> cache;

  /** Evicts so far: a load that began before one does not cache what it read. */
  private final AtomicLong evicts = new AtomicLong();

  ApiKeyCache(Duration ttl, long maximumSize, Ticker ticker) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("the API-key cache TTL must not be negative: " + ttl);
    }
    this.cache =
        ttl.isZero()
            ? null
            : Caffeine.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(maximumSize)
                .ticker(ticker)
                .build();
  }

  /**
   * The stored key of {@code keyId}, from the cache or else from {@code load} (whose answer is
   * cached when present).
   */
  Optional<StoredKey> get(String keyId, Function<String, Optional<StoredKey>> load) {
    if (cache == null) {
      return load.apply(keyId);
    }
    StoredKey cached = cache.getIfPresent(keyId);
    if (cached != null) {
      return Optional.of(cached);
    }
    // loaded outside the cache's lock, so that requests for one key not cached do not queue behind
    // each other's loads (each waiting out the connection timeout while PostgreSQL is unreachable);
    // put only if no evict came since the load began: a row read before a revocation must not be
    // cached after the revocation's evict, for a whole TTL. The check and the put are one step of
    // the map's per-key compute, which an evict of the key (after its count) waits for
    long evictsBefore = evicts.get();
    Optional<StoredKey> loaded = load.apply(keyId);
    loaded.ifPresent(
        stored -> cache.asMap().compute(keyId, (id, current) -> evicts.get() == evictsBefore ? stored : current));
    return loaded;
  }

  /** Forgets {@code keyId} on this node, for example when it is revoked here. */
  void evict(String keyId) {
    if (cache != null) {
      evicts.incrementAndGet();
      cache.invalidate(keyId);
    }
  }
}

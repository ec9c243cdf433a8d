package com.mandateregistry.infra.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
    // one atomic load per key: an evict while it runs waits for it and then removes what it
    // found, so a row read before a revocation is never cached after the revocation's evict (a
    // separate read and put would cache it again for a whole TTL); a null (no such key) is not cached
    return Optional.ofNullable(cache.get(keyId, id -> load.apply(id).orElse(null)));
  }

  /**
   * Forgets {@code keyId} on this node, for example when it is revoked here; waits for a load of it
   * that is under way.
   */
  void evict(String keyId) {
    if (cache != null) {
      cache.invalidate(keyId);
    }
  }
}

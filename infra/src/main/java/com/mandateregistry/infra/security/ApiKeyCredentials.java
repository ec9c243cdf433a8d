package com.mandateregistry.infra.security;

import com.github.benmanes.caffeine.cache.Ticker;
import com.mandateregistry.api.EventMetadata;
import com.mandateregistry.api.Ids;
import com.mandateregistry.api.tenant.IssueApiKeyCommand;
import com.mandateregistry.api.web.Caller;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issues and checks tenant API keys.
 *
 * <p>A key reads {@code mrk_<ULID>_<secret>}: the ULID is the public key id ({@code key_<ULID>}),
 * the secret is 32 random bytes in base64url. Only SHA-256 of the secret is stored, compared in
 * constant time. The secret is returned once, by {@link #issue}, and is never logged or put in an
 * event: the {@code ApiKeyIssuedEvent} carries the key id and name only.
 *
 * <p>Checking a key reads its row once and then keeps it in memory for {@code
 * mandate-registry.security.api-key-cache-ttl} (default 30 s; see {@link ApiKeyCache}), so that a
 * request costs a SHA-256 and a comparison instead of a database round trip.
 *
 * <p>A key holds scopes, which {@code SecurityConfig} maps onto the endpoints: {@value
 * #MANDATES_READ} (list and read mandates and the audit trail; also verify), {@value
 * #MANDATES_WRITE} (create mandates and change their state) and {@value #MANDATES_VERIFY}
 * (verification and AuthZEN only, for a policy enforcement point that should see nothing else). A
 * key without the scope of a call gets 403.
 */
@Component
public class ApiKeyCredentials {

  /** Read mandates and the audit trail, and verify. */
  public static final String MANDATES_READ = "mandates:read";

  /** Create mandates and suspend, reactivate, revoke or approve them. */
  public static final String MANDATES_WRITE = "mandates:write";

  /** Verify only: {@code POST /v1/verify} and the AuthZEN evaluations. */
  public static final String MANDATES_VERIFY = "mandates:verify";

  /** Every scope there is, in the order they are documented. */
  public static final List<String> ALL_SCOPES = List.of(MANDATES_READ, MANDATES_WRITE, MANDATES_VERIFY);

  private static final String PREFIX = "mrk_";
  private static final int ULID_LENGTH = 26;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;
  private final CommandGateway commands;
  private final Clock clock;
  private final ApiKeyCache cache;

  ApiKeyCredentials(
      JdbcTemplate jdbc,
      TransactionTemplate tx,
      CommandGateway commands,
      Clock clock,
      @Value("${mandate-registry.security.api-key-cache-ttl:30s}") Duration cacheTtl) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.commands = commands;
    this.clock = clock;
    if (cacheTtl.isNegative()) {
      throw new IllegalArgumentException(
          "mandate-registry.security.api-key-cache-ttl must not be negative (0 turns the cache off), got "
              + cacheTtl);
    }
    this.cache = new ApiKeyCache(cacheTtl, 100_000, Ticker.systemTicker());
  }

  /** A newly issued key. {@code apiKey} is the only copy of the secret that will ever exist. */
  public record IssuedKey(String keyId, String apiKey, String name, List<String> scopes, Instant createdAt) {}

  /** A presented key that checked out: whose it is and what it may do. */
  public record Verified(Caller caller, Set<String> scopes) {}

  /**
   * Issues a key to an existing tenant: the hash row and the ApiKeyIssued event commit together.
   *
   * @param scopes some of {@link #ALL_SCOPES}
   * @param actor metadata naming who issues the key (for the audit trail)
   * @throws IllegalArgumentException for a scope that does not exist
   */
  public IssuedKey issue(String tenantId, String name, List<String> scopes, Map<String, ?> actor) {
    for (String scope : scopes) {
      if (!ALL_SCOPES.contains(scope)) {
        throw new IllegalArgumentException("no such scope: " + scope + "; the scopes are " + ALL_SCOPES);
      }
    }
    String ulid = Ids.next("");
    String keyId = Ids.KEY + ulid;
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    Instant now = clock.instant();
    tx.executeWithoutResult(
        status -> {
          jdbc.update(
              "INSERT INTO api_key_credential (key_id, tenant_id, name, scopes, secret_hash, created_at)"
                  + " VALUES (?, ?, ?, ?, ?, ?)",
              keyId,
              tenantId,
              name,
              String.join(" ", scopes),
              sha256(secretText),
              Timestamp.from(now));
          commands.sendAndWait(
              GenericCommandMessage.asCommandMessage(
                      new IssueApiKeyCommand(tenantId, keyId, name, scopes))
                  .andMetaData(actor)
                  .andMetaData(Map.of(EventMetadata.TENANT_ID, tenantId)));
        });
    return new IssuedKey(keyId, PREFIX + ulid + "_" + secretText, name, List.copyOf(scopes), now);
  }

  /**
   * Checks a presented key.
   *
   * @param claimedTenant the tenant id named next to the key ({@code Bearer tenant:key}), or null
   * @return the caller and the key's scopes, or empty when the key is malformed, unknown, revoked,
   *     wrong, or belongs to another tenant than the one claimed
   */
  public Optional<Verified> authenticate(String claimedTenant, String apiKey) {
    if (apiKey == null
        || apiKey.length() < PREFIX.length() + ULID_LENGTH + 2
        || !apiKey.startsWith(PREFIX)
        || apiKey.charAt(PREFIX.length() + ULID_LENGTH) != '_') {
      return Optional.empty();
    }
    String keyId = Ids.KEY + apiKey.substring(PREFIX.length(), PREFIX.length() + ULID_LENGTH);
    if (!Ids.isValid(Ids.KEY, keyId)) {
      return Optional.empty();
    }
    String secret = apiKey.substring(PREFIX.length() + ULID_LENGTH + 1);
    Optional<ApiKeyCache.StoredKey> stored = cache.get(keyId, this::load);
    byte[] presented = sha256(secret);
    if (stored.isEmpty() || !MessageDigest.isEqual(stored.get().secretHash(), presented)) {
      return Optional.empty();
    }
    String tenantId = stored.get().tenantId();
    if (claimedTenant != null && !claimedTenant.equals(tenantId)) {
      return Optional.empty();
    }
    return Optional.of(new Verified(new Caller(tenantId, "api_key", keyId), stored.get().scopes()));
  }

  /**
   * Forgets what this node keeps in memory of {@code keyId}; the next request with it reads the
   * database. Whoever revokes a key calls it (other nodes notice within the cache TTL).
   */
  public void forget(String keyId) {
    cache.evict(keyId);
  }

  private Optional<ApiKeyCache.StoredKey> load(String keyId) {
    List<Map<String, Object>> rows =
        jdbc.queryForList(
            "SELECT tenant_id, secret_hash, scopes FROM api_key_credential"
                + " WHERE key_id = ? AND revoked_at IS NULL",
            keyId);
    return rows.stream()
        .findFirst()
        .map(
            row ->
                new ApiKeyCache.StoredKey(
                    (String) row.get("tenant_id"),
                    (byte[]) row.get("secret_hash"),
                    Set.copyOf(Arrays.asList(((String) row.get("scopes")).trim().split(" +")))));
  }

  private static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}

package com.mandateregistry.ledger.config;

import com.mandateregistry.api.Settings;
import com.mandateregistry.crypto.PublicKeyInfo;
import com.mandateregistry.crypto.Signer;
import com.mandateregistry.crypto.SigningKeys;
import com.mandateregistry.ledger.AuditLedger;
import com.mandateregistry.ledger.ChainHead;
import com.mandateregistry.ledger.ChainHeadVerifier;
import com.mandateregistry.ledger.LedgerRepository;
import com.mandateregistry.ledger.format.LedgerKey;
import com.mandateregistry.ledger.projection.LedgerProjection;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit ledger inside the service. Before anything is appended, on start:
 *
 * <ol>
 *   <li>every tenant chain is recomputed from storage and compared with its stored head; on a
 *       mismatch the service refuses to start, naming the tenant, the sequence, what was found and
 *       what was wanted ({@link ChainHeadVerifier});
 *   <li>every key of the signing key directory, current and retired, is published in {@code
 *       ledger_signing_key}, so that entries signed by a rotated key still verify.
 * </ol>
 */
@Configuration(proxyBeanMethods = false)
public class LedgerConfiguration {

  private static final Logger log = LoggerFactory.getLogger(LedgerConfiguration.class);

  @Bean
  LedgerRepository ledgerRepository(JdbcTemplate jdbc) {
    return new LedgerRepository(jdbc);
  }

  /** The recomputed heads of every chain; creating this bean is the start-up check. */
  @Bean
  VerifiedHeads verifiedHeads(LedgerRepository repository, PlatformTransactionManager transactions) {
    long started = System.nanoTime();
    List<ChainHead> heads = new ChainHeadVerifier(repository, transactions).verifyAll();
    long entries = heads.stream().mapToLong(ChainHead::sequence).sum();
    log.info(
        "audit ledger: {} tenant chains, {} entries recomputed and intact in {} ms",
        heads.size(), entries, (System.nanoTime() - started) / 1_000_000);
    return new VerifiedHeads(heads);
  }

  @Bean
  AuditLedger auditLedger(
      VerifiedHeads verified,
      LedgerRepository repository,
      PlatformTransactionManager transactions,
      SigningKeys keys,
      Clock clock) {
    new TransactionTemplate(transactions).executeWithoutResult(status -> publish(repository, keys));
    Signer signer = keys.currentSigner();
    PublicKeyInfo current =
        keys.publicKeys().stream()
            .filter(k -> k.keyId().equals(signer.keyId()))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException(
                "the current signer's key " + signer.keyId() + " is not in the key directory"));
    LedgerKey signingKey = LedgerKey.of((ECPublicKey) current.publicKey(), current.notBefore(), null);
    log.info("audit ledger signs with key {}", signer.keyId());
    return new AuditLedger(repository, transactions, signer, signingKey, clock);
  }

  @Bean
  LedgerProjection ledgerProjection(
      AuditLedger ledger,
      @Value("${mandate-registry.ledger.retry-initial-backoff:200ms}") Duration initialBackoff,
      @Value("${mandate-registry.ledger.retry-max-backoff:5s}") Duration maxBackoff,
      @Value("${mandate-registry.ledger.retry-in-transaction:10s}") Duration retryInTransaction,
      Clock clock) {
    Settings.positive("mandate-registry.ledger.retry-in-transaction", retryInTransaction);
    Settings.positive("mandate-registry.ledger.retry-initial-backoff", initialBackoff);
    if (Settings.positive("mandate-registry.ledger.retry-max-backoff", maxBackoff).compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "mandate-registry.ledger.retry-max-backoff (" + maxBackoff
              + ") must not be shorter than mandate-registry.ledger.retry-initial-backoff (" + initialBackoff + ")");
    }
    return new LedgerProjection(ledger, initialBackoff, maxBackoff, retryInTransaction, clock);
  }

  /** Publishes every key of the directory; retires in the table those the directory has retired. */
  private static void publish(LedgerRepository repository, SigningKeys keys) {
    for (PublicKeyInfo key : keys.publicKeys()) {
      LedgerKey ledgerKey = LedgerKey.of((ECPublicKey) key.publicKey(), null, null);
      if (repository.registerKey(ledgerKey, key.notBefore())) {
        log.info("published ledger signing key {}", key.keyId());
      }
      if (key.isRetired()) {
        Optional<LedgerKey> published = repository.findKeys().find(key.keyId());
        if (published.isPresent() && published.get().notAfter().isEmpty()) {
          // a retirement is set once (the table refuses a change): one before the key's own
          // entries would make a verifier refuse them (KEY_RETIRED) for good
          Optional<Instant> latest = repository.latestEntrySignedBy(key.keyId());
          if (latest.isPresent() && latest.get().isAfter(key.retiredAt())) {
            throw new IllegalStateException(
                "signing key " + key.keyId() + " cannot be retired at " + key.retiredAt()
                    + ": it signed ledger entries of events up to " + latest.get()
                    + ", which a verifier would then refuse (KEY_RETIRED); with KMS, set its"
                    + " mandate-registry.signing.kms.previous-keys[n].retired-at to that time or later");
          }
          repository.retireKey(key.keyId(), key.retiredAt());
          log.info("retired ledger signing key {} at {}", key.keyId(), key.retiredAt());
        } else if (published.isPresent()
            && !published.get().notAfter().orElseThrow().equals(key.retiredAt())) {
          log.warn(
              "signing key {} stays retired at {} in the ledger (a retirement is set once), not at {}",
              key.keyId(), published.get().notAfter().orElseThrow(), key.retiredAt());
        }
      }
    }
    // a key the table has as current that the directory no longer lists: an old KMS key not named
    // in previous-keys (or the wrong one named) stays "current" in every export
    for (LedgerKey stale : repository.findKeys().keys()) {
      boolean listed = keys.publicKeys().stream().anyMatch(k -> k.keyId().equals(stale.keyId()));
      if (!listed && stale.notAfter().isEmpty()) {
        log.warn(
            "ledger signing key {} is not retired, but the signing key directory no longer has it;"
                + " with KMS, name it in mandate-registry.signing.kms.previous-keys with the time it"
                + " stopped signing",
            stale.keyId());
      }
    }
  }

  /** The chain heads as recomputed on start. */
  public record VerifiedHeads(List<ChainHead> heads) {}
}

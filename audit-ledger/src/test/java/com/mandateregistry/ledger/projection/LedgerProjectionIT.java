package com.mandateregistry.ledger.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mandateregistry.api.EventMetadata;
import com.mandateregistry.api.TenantEvent;
import com.mandateregistry.api.mandate.MandateSuspendedEvent;
import com.mandateregistry.crypto.KeyedSignature;
import com.mandateregistry.crypto.Signer;
import com.mandateregistry.crypto.SigningException;
import com.mandateregistry.ledger.AuditLedger;
import com.mandateregistry.ledger.LedgerConflictException;
import com.mandateregistry.ledger.LedgerRepository;
import com.mandateregistry.ledger.PendingEntry;
import com.mandateregistry.ledger.format.LedgerEntry;
import com.mandateregistry.ledger.testsupport.LedgerDatabase;
import com.mandateregistry.ledger.testsupport.TestSigner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ledger projection's handler on a real {@link AuditLedger} (embedded PostgreSQL): it waits
 * and retries while the signer fails, appends exactly once, and stops only when interrupted. The
 * handler is called directly here; the processor wiring is the service's concern.
 */
class LedgerProjectionIT {

  private static final Instant NOW = Instant.parse("2025-03-05T12:00:00Z");
  private static final String TENANT = "tnt_01JNB6TQ2R8S0Y4K7M9P3W5X6Z";
  private static final MandateSuspendedEvent EVENT =
      new MandateSuspendedEvent(
          "mdt_01JNB6VAD0F5G7H9J1K3M5N7P9", TENANT, "Under review", Instant.parse("2025-03-02T10:00:00Z"));
  private static final EventMessage<TenantEvent> MESSAGE =
      new GenericEventMessage<>(
          "6f0e2f4c-1d4b-4a8e-9c55-0a1b2c3d4e5f",
          EVENT,
          MetaData.from(Map.of(
              EventMetadata.ACTOR_TYPE, "api_key",
              EventMetadata.ACTOR_ID, "key_01JNB6TZ4C6E8G0J2L4N6Q8S0U",
              EventMetadata.CORRELATION_ID, "req_1")),
          Instant.parse("2025-03-02T10:00:00.123Z"));

  private final TestSigner key = TestSigner.generate();
  private final CountingSigner signer = new CountingSigner(key);
  private LedgerDatabase db;
  private LedgerRepository repository;
  private ExecutorService executor;

  @BeforeEach
  void setUp() {
    db = LedgerDatabase.create();
    repository = new LedgerRepository(db.jdbc());
  }

  @AfterEach
  void tearDown() {
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  private AuditLedger ledger(LedgerDatabase database, Signer s) {
    return new AuditLedger(new LedgerRepository(database.jdbc()), database.transactionManager(), s,
        key.ledgerKey(), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private LedgerProjection projection(Duration initialBackoff, Duration maxBackoff) {
    return new LedgerProjection(ledger(db, signer), initialBackoff, maxBackoff, Clock.systemUTC());
  }

  /** Runs {@code projection.on(EVENT, MESSAGE)} on {@link #executor}; shutting it down interrupts the handler. */
  private Future<?> handleInBackground(LedgerProjection projection) {
    executor = Executors.newSingleThreadExecutor();
    return executor.submit(() -> {
      projection.on(EVENT, MESSAGE);
      return null;
    });
  }

  /** Polls until the signer has been called {@code attempts} times (30 s at most). */
  private void awaitSignAttempts(int attempts) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (signer.calls() < attempts && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(signer.calls()).as("attempts to sign").isGreaterThanOrEqualTo(attempts);
  }

  private int count() {
    return db.jdbc().queryForObject("SELECT count(*) FROM ledger_entry", Integer.class);
  }

  @Test
  void on_whileTheSignerFails_retriesUntilItWorks_thenAppendsExactlyOnce() throws Exception {
    key.failNext(3);

    projection(Duration.ofMillis(1), Duration.ofMillis(5)).on(EVENT, MESSAGE);

    assertThat(signer.calls()).as("3 failed attempts, then 1 that signed").isEqualTo(4);
    assertThat(key.signatureCount()).isEqualTo(1);
    assertThat(count()).isEqualTo(1);
    String eventId = LedgerEventMapper.toPending(MESSAGE).eventId();
    LedgerEntry stored = repository.findByEventId(TENANT, eventId).orElseThrow();
    assertThat(stored.sequence()).isEqualTo(1);

    // the same event appended to an empty ledger with a signer that never failed
    LedgerDatabase reference = LedgerDatabase.create();
    LedgerEntry undisturbed = ledger(reference, key).append(LedgerEventMapper.toPending(MESSAGE));
    assertThat(stored.eventHash()).isEqualTo(undisturbed.eventHash());
    assertThat(stored.unsigned()).isEqualTo(undisturbed.unsigned());
  }

  /**
   * In the service, the tracking processor handles each batch inside a Spring transaction that the
   * ledger joins. A failed signature must not mark that transaction rollback-only: the retry inside
   * the same batch must commit.
   */
  @Test
  void on_insideTheProcessorsTransaction_whileTheSignerFails_commitsOnceItWorks() throws Exception {
    key.failNext(2);
    LedgerProjection projection = projection(Duration.ofMillis(1), Duration.ofMillis(5));

    new TransactionTemplate(db.transactionManager()).executeWithoutResult(status -> {
      try {
        projection.on(EVENT, MESSAGE);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      assertThat(status.isRollbackOnly()).as("the batch's transaction stays committable").isFalse();
    });

    assertThat(signer.calls()).isEqualTo(3);
    assertThat(count()).isEqualTo(1);
    assertThat(repository.findHead(TENANT).orElseThrow().sequence()).isEqualTo(1);
  }

  /**
   * Inside the processor's unit of work (as Axon runs a batch), events are collected and the batch
   * is appended as the unit of work prepares to commit, in its transaction.
   */
  @Test
  void on_withinAUnitOfWork_appendsTheWholeBatchAtCommit_inOrder() throws Exception {
    LedgerProjection projection = projection(Duration.ofMillis(1), Duration.ofMillis(5));
    EventMessage<TenantEvent> second =
        new GenericEventMessage<>("7a1e2f4c-1d4b-4a8e-9c55-0a1b2c3d4e60",
            new MandateSuspendedEvent(EVENT.mandateId(), TENANT, "again", Instant.parse("2025-03-02T11:00:00Z")),
            MESSAGE.getMetaData(), Instant.parse("2025-03-02T11:00:00.001Z"));
    key.failNext(1);
    DefaultUnitOfWork<EventMessage<?>> unitOfWork = DefaultUnitOfWork.startAndGet(MESSAGE);
    unitOfWork.attachTransaction(new SpringTransactionManager(db.transactionManager()));

    projection.on(EVENT, MESSAGE);
    projection.on((TenantEvent) second.getPayload(), second);
    assertThat(count()).as("nothing is appended before the unit of work commits").isZero();
    unitOfWork.commit();

    assertThat(count()).isEqualTo(2);
    assertThat(repository.findHead(TENANT).orElseThrow().sequence()).isEqualTo(2);
    assertThat(repository.findBySequence(TENANT, 2).orElseThrow().eventId())
        .isEqualTo(LedgerEventMapper.toPending(second).eventId());
    assertThat(signer.calls()).as("one failed attempt, then one signature for the batch of two").isEqualTo(2);
    assertThat(repository.findBySequence(TENANT, 1).orElseThrow().kmsSignature())
        .isEqualTo(repository.findBySequence(TENANT, 2).orElseThrow().kmsSignature());
  }

  @Test
  void on_sameEventTwice_storesItOnce() throws Exception {
    LedgerProjection projection = projection(Duration.ofMillis(1), Duration.ofMillis(5));
    projection.on(EVENT, MESSAGE);
    projection.on(EVENT, MESSAGE);

    assertThat(count()).isEqualTo(1);
    assertThat(key.signatureCount()).isEqualTo(1);
  }

  @Test
  void on_interruptedWhileWaitingForTheSigner_propagatesTheInterrupt_andStoresNothing() throws Exception {
    key.failNext(Integer.MAX_VALUE);
    LedgerProjection projection = projection(Duration.ofSeconds(30), Duration.ofSeconds(30));
    Future<?> handling = handleInBackground(projection);

    assertThat(signer.firstCall.await(30, TimeUnit.SECONDS)).as("the handler tried to sign").isTrue();
    executor.shutdownNow(); // interrupts the handler, which now waits 30 s before its next attempt

    assertThatThrownBy(() -> handling.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(InterruptedException.class);
    assertThat(signer.calls()).as("no attempt after the interrupt").isEqualTo(1);
    assertThat(count()).isZero();
    assertThat(repository.findHead(TENANT)).isEmpty();
  }

  /** What the service's health reports: since when the ledger waits, while it waits. */
  @Test
  void waitingForSignerSince_isSetWhileTheSignerFails_andClearedByTheAppendThatWorks() throws Exception {
    LedgerProjection projection = projection(Duration.ofMillis(5), Duration.ofMillis(20));
    assertThat(projection.waitingForSignerSince()).isEmpty();
    key.failNext(Integer.MAX_VALUE);
    Instant before = Instant.now();
    Future<?> handling = handleInBackground(projection);

    awaitSignAttempts(3);
    assertThat(projection.waitingForSignerSince()).hasValueSatisfying(
        since -> assertThat(since).isBetween(before, Instant.now()));
    Instant since = projection.waitingForSignerSince().orElseThrow();
    awaitSignAttempts(5);
    assertThat(projection.waitingForSignerSince()).as("the first failure's time, kept by the retries").hasValue(since);
    assertThat(count()).isZero();

    key.failNext(0);
    handling.get(30, TimeUnit.SECONDS);
    assertThat(count()).isEqualTo(1);
    assertThat(projection.waitingForSignerSince()).isEmpty();
  }

  /** A wait that an interrupt ended (a shutdown, or Axon retrying the batch) is over once an append works. */
  @Test
  void waitingForSignerSince_afterAnInterruptedWait_isClearedByTheNextAppendThatWorks() throws Exception {
    key.failNext(Integer.MAX_VALUE);
    LedgerProjection projection = projection(Duration.ofSeconds(30), Duration.ofSeconds(30));
    Future<?> handling = handleInBackground(projection);
    assertThat(signer.firstCall.await(30, TimeUnit.SECONDS)).as("the handler tried to sign").isTrue();
    executor.shutdownNow();
    assertThatThrownBy(() -> handling.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    assertThat(projection.waitingForSignerSince()).as("still not appended").isPresent();

    key.failNext(0);
    projection.on(EVENT, MESSAGE);

    assertThat(count()).isEqualTo(1);
    assertThat(projection.waitingForSignerSince()).isEmpty();
  }

  /**
   * In the processor's unit of work, a signer that stays down past {@code retryInTransaction} fails
   * the batch, so that its transaction rolls back instead of staying open for the whole outage; the
   * processor retries it later (here: the same batch in a new unit of work), and nothing is lost.
   */
  @Test
  void withinAUnitOfWork_aSignerDownLongerThanTheRetryInTransaction_failsTheBatch_thenItIsAppendedOnRetry()
      throws Exception {
    LedgerProjection projection =
        new LedgerProjection(ledger(db, signer), Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(300),
            Clock.systemUTC());
    key.failNext(Integer.MAX_VALUE);
    DefaultUnitOfWork<EventMessage<?>> first = DefaultUnitOfWork.startAndGet(MESSAGE);
    first.attachTransaction(new SpringTransactionManager(db.transactionManager()));
    projection.on(EVENT, MESSAGE);
    long t0 = System.nanoTime();

    assertThatThrownBy(first::commit).isInstanceOf(SignerUnavailableException.class)
        .hasMessageContaining("rolls back and the processor retries it");

    long millis = (System.nanoTime() - t0) / 1_000_000;
    assertThat(millis).as("gave up after about 300 ms, not after the outage").isBetween(250L, 5_000L);
    int calls = signer.calls();
    assertThat(calls).as("retried within the limit").isGreaterThanOrEqualTo(2);
    assertThat(count()).isZero();
    assertThat(projection.waitingForSignerSince()).as("still waiting, for the health check").isPresent();

    // the processor's next try of the batch tries the signer once, and gives up at once
    DefaultUnitOfWork<EventMessage<?>> again = DefaultUnitOfWork.startAndGet(MESSAGE);
    again.attachTransaction(new SpringTransactionManager(db.transactionManager()));
    projection.on(EVENT, MESSAGE);
    assertThatThrownBy(again::commit).isInstanceOf(SignerUnavailableException.class);
    assertThat(signer.calls()).as("one attempt").isEqualTo(calls + 1);

    key.failNext(0);
    DefaultUnitOfWork<EventMessage<?>> retry = DefaultUnitOfWork.startAndGet(MESSAGE);
    retry.attachTransaction(new SpringTransactionManager(db.transactionManager()));
    projection.on(EVENT, MESSAGE);
    retry.commit();

    assertThat(count()).isEqualTo(1);
    assertThat(repository.findHead(TENANT).orElseThrow().sequence()).isEqualTo(1);
    assertThat(projection.waitingForSignerSince()).isEmpty();
  }

  @Test
  void on_aFailureOtherThanSigning_propagatesAtOnce_withoutRetrying() throws Exception {
    PendingEntry pending = LedgerEventMapper.toPending(MESSAGE);
    ledger(db, key).append(new PendingEntry(pending.eventId(), pending.tenantId(), pending.mandateId(),
        pending.eventType(), pending.timestamp(), pending.actor(), "{\"reason\":\"other content\"}"));
    int before = signer.calls();

    assertThatThrownBy(() -> projection(Duration.ofMillis(1), Duration.ofMillis(5)).on(EVENT, MESSAGE))
        .isInstanceOf(LedgerConflictException.class);
    assertThat(signer.calls()).isEqualTo(before);
    assertThat(count()).isEqualTo(1);
  }

  /** Test-only: counts the calls of {@link #sign} that reach the wrapped signer, failed or not. */
  private static final class CountingSigner implements Signer {
    private final Signer delegate;
    private final AtomicInteger calls = new AtomicInteger();
    final CountDownLatch firstCall = new CountDownLatch(1);

    CountingSigner(Signer delegate) {
      this.delegate = delegate;
    }

    @Override
    public KeyedSignature sign(byte[] data) throws SigningException {
      calls.incrementAndGet();
      try {
        return delegate.sign(data);
      } finally {
        firstCall.countDown();
      }
    }

    @Override
    public String keyId() {
      return delegate.keyId();
    }

    int calls() {
      return calls.get();
    }
  }
}

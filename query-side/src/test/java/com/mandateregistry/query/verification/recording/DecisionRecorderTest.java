package com.mandateregistry.query.verification.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.SimpleEventBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;

/**
 * The group commit: its status check (a refused request stores nothing, the rest of its batch
 * does), and what a failure says about the events (certainly not stored, or maybe stored).
 */
class DecisionRecorderTest {

  private final SimpleEventBus bus = SimpleEventBus.builder().build();
  private final List<Object> published = Collections.synchronizedList(new ArrayList<>());
  private final Set<String> inactive = ConcurrentHashMap.newKeySet();
  private final List<Integer> checkQueries = Collections.synchronizedList(new ArrayList<>());
  private final DecisionRecorder recorder =
      new DecisionRecorder(
          bus,
          checks -> {
            checkQueries.add(checks.size());
            Set<DecisionRecorder.ActiveCheck> refused = new HashSet<>();
            checks.stream().filter(c -> inactive.contains(c.mandateId())).forEach(refused::add);
            return refused;
          },
          new NoTransactions(),
          500,
          1000,
          Duration.ofSeconds(5));

  DecisionRecorderTest() {
    bus.subscribe(messages -> messages.forEach(m -> published.add(m.getPayload())));
    recorder.start();
  }

  /** Recorders a test started besides {@link #recorder}; stopped after it. */
  private final List<DecisionRecorder> started = new ArrayList<>();

  @AfterEach
  void stop() {
    recorder.stop();
    started.forEach(DecisionRecorder::stop);
  }

  /** A started recorder on {@link #bus} that finds every mandate active. */
  private DecisionRecorder started(NoTransactions transactions, int capacity, Duration timeout) {
    DecisionRecorder r = new DecisionRecorder(bus, checks -> Set.of(), transactions, 500, capacity, timeout);
    r.start();
    started.add(r);
    return r;
  }

  @Test
  void anActiveMandate_isStored() {
    boolean stored = recorder.record(events("allow-1"), new DecisionRecorder.ActiveCheck("tnt_a", "mdt_1"));

    assertThat(stored).isTrue();
    assertThat(published).containsExactly("allow-1");
  }

  @Test
  void aMandateNoLongerActive_storesNothing_andSaysSo() {
    inactive.add("mdt_revoked");

    boolean stored = recorder.record(events("allow-2"), new DecisionRecorder.ActiveCheck("tnt_a", "mdt_revoked"));

    assertThat(stored).isFalse();
    assertThat(published).isEmpty();
  }

  /** A DENY check fails when the delegate has a DENY mandate the decision did not see. */
  @Test
  void anAllowThatDidNotSeeADenyMandate_storesNothing_andTheOthersOfItsBatchAreStored() {
    DecisionRecorder.ActiveMandates denies = new DecisionRecorder.ActiveMandates() {
      @Override
      public Set<DecisionRecorder.ActiveCheck> notActive(java.util.Collection<DecisionRecorder.ActiveCheck> checks) {
        return Set.of();
      }

      @Override
      public Set<DecisionRecorder.DenyCheck> unseenDenies(java.util.Collection<DecisionRecorder.DenyCheck> checks) {
        Set<DecisionRecorder.DenyCheck> unseen = new HashSet<>();
        checks.stream()
            // the delegate's DENY mandate, ACTIVE at version 1 per the authoritative rows
            .filter(c -> c.delegateSubjectId().equals("agent-with-deny") && !c.passes("mdt_deny", "ACTIVE", 1))
            .forEach(unseen::add);
        return unseen;
      }
    };
    DecisionRecorder r = new DecisionRecorder(bus, denies, new NoTransactions(), 500, 1000, Duration.ofSeconds(5));
    r.start();
    started.add(r);

    boolean blind = r.record(events("allow-blind"), null,
        new DecisionRecorder.DenyCheck("tnt_a", "agent-with-deny", Map.of("mdt_allow", 0L)));
    boolean stale = r.record(events("allow-stale"), null,
        new DecisionRecorder.DenyCheck("tnt_a", "agent-with-deny", Map.of("mdt_allow", 0L, "mdt_deny", 0L)));
    boolean aware = r.record(events("allow-aware"), null,
        new DecisionRecorder.DenyCheck("tnt_a", "agent-with-deny", Map.of("mdt_allow", 0L, "mdt_deny", 1L)));
    boolean other = r.record(events("allow-other"), new DecisionRecorder.ActiveCheck("tnt_a", "mdt_2"),
        new DecisionRecorder.DenyCheck("tnt_a", "agent-without", Map.of()));

    assertThat(blind).isFalse();
    assertThat(stale).as("saw the DENY mandate before it came into force").isFalse();
    assertThat(aware).isTrue();
    assertThat(other).isTrue();
    assertThat(published).containsExactly("allow-aware", "allow-other");
  }

  /**
   * A DENY check passes a DENY mandate of the delegate only if the decision saw it, and, when the
   * authoritative row says ACTIVE, saw that version: an older one may have been awaiting approval
   * or suspended, so not in force for the decision.
   */
  @Test
  void aDenyCheck_passesAMandateSeen_atItsActiveVersion() {
    DecisionRecorder.DenyCheck check =
        new DecisionRecorder.DenyCheck("tnt_a", "agent", Map.of("mdt_d", 1L));

    assertThat(check.passes("mdt_other", "ACTIVE", 0)).as("not seen").isFalse();
    assertThat(check.passes("mdt_other", "DRAFT", 0)).as("not seen, even if not in force").isFalse();
    assertThat(check.passes("mdt_d", "ACTIVE", 1)).as("seen as it is").isTrue();
    assertThat(check.passes("mdt_d", "ACTIVE", 2)).as("approved or reactivated since").isFalse();
    assertThat(check.passes("mdt_d", "SUSPENDED", 2)).as("out of force since: the decision was stricter").isTrue();
    assertThat(check.passes("mdt_d", null, 0)).as("no authority row").isTrue();
  }

  @Test
  void withoutACheck_everythingIsStoredInOrder() {
    recorder.record(events("deny-1", "escalation-1"));

    assertThat(published).containsExactly("deny-1", "escalation-1");
    assertThat(checkQueries).isEmpty();
  }

  @Test
  void concurrentRequests_eachGetTheirOwnAnswer_whateverTheBatching() throws Exception {
    inactive.add("mdt_odd");
    int requests = 200;
    ExecutorService pool = Executors.newFixedThreadPool(16);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Boolean>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < requests; i++) {
        String mandate = i % 2 == 0 ? "mdt_even" : "mdt_odd";
        String payload = "allow-" + i;
        answers.add(pool.submit(() -> {
          go.await();
          return recorder.record(events(payload), new DecisionRecorder.ActiveCheck("tnt_a", mandate));
        }));
      }
      go.countDown();
      for (int i = 0; i < requests; i++) {
        assertThat(answers.get(i).get()).as("request %d", i).isEqualTo(i % 2 == 0);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(published).hasSize(requests / 2).allSatisfy(p -> {
      int i = Integer.parseInt(((String) p).substring("allow-".length()));
      assertThat(i % 2).isZero();
    });
    assertThat(checkQueries.stream().mapToInt(Integer::intValue).sum()).isEqualTo(requests);
  }

  /**
   * The group commit itself: requests that arrive while a transaction is open wait for the next
   * one and share it, up to {@code maxBatch} events per transaction, in the order they came.
   */
  @Test
  void requestsArrivingDuringACommit_shareTheNextTransactions_upToMaxBatchEvents() throws Exception {
    SimpleEventBus batches = SimpleEventBus.builder().build();
    List<List<Object>> stored = Collections.synchronizedList(new ArrayList<>());
    batches.subscribe(messages -> stored.add(messages.stream().map(m -> (Object) m.getPayload()).toList()));
    NoTransactions slow = new NoTransactions(true);
    DecisionRecorder grouped = new DecisionRecorder(batches, checks -> Set.of(), slow, 4, 100, Duration.ofSeconds(5));
    grouped.start();
    started.add(grouped);
    ExecutorService pool = Executors.newFixedThreadPool(11);
    try {
      List<Future<?>> answers = new ArrayList<>();
      answers.add(pool.submit(() -> grouped.record(events("first"))));
      assertThat(slow.begun.await(5, TimeUnit.SECONDS)).as("the writer holds the first transaction open").isTrue();
      for (int i = 0; i < 10; i++) {
        String payload = "queued-" + i;
        answers.add(pool.submit(() -> grouped.record(events(payload))));
        int waiting = i + 1;
        await().atMost(Duration.ofSeconds(5)).until(() -> grouped.waiting() == waiting);
      }

      slow.release.countDown();
      for (Future<?> answer : answers) {
        answer.get(5, TimeUnit.SECONDS);
      }

      assertThat(slow.commits.get()).as("1 + ceil(10 / 4) transactions for 11 requests").isEqualTo(4);
      assertThat(stored).containsExactly(
          List.of("first"),
          List.of("queued-0", "queued-1", "queued-2", "queued-3"),
          List.of("queued-4", "queued-5", "queued-6", "queued-7"),
          List.of("queued-8", "queued-9"));
    } finally {
      slow.release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void aFailedTransaction_failsEveryRequestOfTheBatch() {
    DecisionRecorder failing =
        new DecisionRecorder(
            SimpleEventBus.builder().build(),
            checks -> { throw new IllegalStateException("database down"); },
            new NoTransactions(), 500, 1000, Duration.ofSeconds(5));
    failing.start();
    try {
      assertThatThrownBy(() -> failing.record(events("allow-3"), new DecisionRecorder.ActiveCheck("tnt_a", "mdt_1")))
          .isInstanceOfSatisfying(DecisionNotRecordedException.class,
              e -> assertThat(e.certainlyNotStored()).as("rolled back before the commit").isTrue());
    } finally {
      failing.stop();
    }
  }

  @Test
  void aFailedCommit_mayHaveStoredTheEvents_andSaysSo() {
    NoTransactions commitFails = new NoTransactions();
    commitFails.failCommit = true;
    DecisionRecorder failing = started(commitFails, 1000, Duration.ofSeconds(5));
    assertThatThrownBy(() -> failing.record(events("deny-2")))
        .isInstanceOfSatisfying(DecisionNotRecordedException.class,
            e -> assertThat(e.certainlyNotStored()).isFalse());
  }

  @Test
  void aRecorderNotRunning_storesNothing_certainly() {
    DecisionRecorder stopped =
        new DecisionRecorder(bus, checks -> Set.of(), new NoTransactions(), 500, 1000, Duration.ofSeconds(5));
    assertThatThrownBy(() -> stopped.record(events("deny-3")))
        .isInstanceOfSatisfying(DecisionNotRecordedException.class,
            e -> assertThat(e.certainlyNotStored()).isTrue());
    assertThat(published).isEmpty();
  }

  @Test
  void aFullQueue_refusesAtOnce_certainlyNotStored() throws Exception {
    NoTransactions slow = new NoTransactions(true);
    DecisionRecorder small = started(slow, 1, Duration.ofSeconds(5));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> held = pool.submit(() -> small.record(events("held")));
      assertThat(slow.begun.await(5, TimeUnit.SECONDS)).as("the writer has the first request").isTrue();
      Future<?> queued = pool.submit(() -> small.record(events("queued")));
      await().atMost(Duration.ofSeconds(5)).until(() -> small.waiting() == 1);

      assertThatThrownBy(() -> small.record(events("refused")))
          .isInstanceOfSatisfying(DecisionNotRecordedException.class,
              e -> assertThat(e.certainlyNotStored()).isTrue());

      slow.release.countDown();
      held.get(5, TimeUnit.SECONDS);
      queued.get(5, TimeUnit.SECONDS);
      assertThat(published).containsExactly("held", "queued");
    } finally {
      slow.release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void aTimeoutWhileStillQueued_takesTheRequestBack_soItIsNeverStored() throws Exception {
    NoTransactions slow = new NoTransactions(true);
    DecisionRecorder impatient = started(slow, 10, Duration.ofMillis(300));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<?> held = pool.submit(() -> {
        try {
          impatient.record(events("held"));
        } catch (DecisionNotRecordedException expected) {
          // it times out too, while the writer has it
        }
      });
      assertThat(slow.begun.await(5, TimeUnit.SECONDS)).isTrue();

      assertThatThrownBy(() -> impatient.record(events("queued-then-timed-out")))
          .isInstanceOfSatisfying(DecisionNotRecordedException.class,
              e -> assertThat(e.certainlyNotStored()).isTrue());

      slow.release.countDown();
      held.get(5, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(5)).until(() -> published.contains("held"));
      // one more round trip through the writer: anything still queued would have been stored by now
      impatient.record(events("after"));
      assertThat(published).containsExactly("held", "after");
    } finally {
      slow.release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void aTimeoutWhileTheWriterHasTheRequest_mayStillStoreIt_andSaysSo() throws Exception {
    NoTransactions slow = new NoTransactions(true);
    DecisionRecorder impatient = started(slow, 10, Duration.ofMillis(300));
    try {
      assertThatThrownBy(() -> impatient.record(events("in-flight")))
          .isInstanceOfSatisfying(DecisionNotRecordedException.class,
              e -> assertThat(e.certainlyNotStored()).isFalse());
      assertThat(slow.begun.getCount()).as("the writer had it").isZero();

      slow.release.countDown();
      await().atMost(Duration.ofSeconds(5)).until(() -> published.contains("in-flight"));
    } finally {
      slow.release.countDown();
    }
  }

  /**
   * An Error in one batch (here an OutOfMemoryError thrown while it is stored) fails that batch,
   * as possibly stored, and the writer goes on: before, it ended the writer thread, and every later
   * request waited out its timeout.
   */
  @Test
  void anErrorInOneBatch_failsThatBatch_andLaterRequestsAreStillStored() {
    java.util.concurrent.atomic.AtomicBoolean failOnce = new java.util.concurrent.atomic.AtomicBoolean(true);
    SimpleEventBus failing = SimpleEventBus.builder().build();
    List<Object> stored = Collections.synchronizedList(new ArrayList<>());
    failing.subscribe(messages -> {
      if (failOnce.getAndSet(false)) {
        throw new OutOfMemoryError("simulated");
      }
      messages.forEach(m -> stored.add(m.getPayload()));
    });
    DecisionRecorder r = new DecisionRecorder(failing, checks -> Set.of(), new NoTransactions(), 500, 1000, Duration.ofSeconds(5));
    r.start();
    started.add(r);

    assertThatThrownBy(() -> r.record(events("first")))
        .isInstanceOfSatisfying(DecisionNotRecordedException.class,
            e -> assertThat(e.getCause()).isInstanceOf(OutOfMemoryError.class));
    r.record(events("second"));

    assertThat(stored).containsExactly("second");
    assertThat(r.isRunning()).isTrue();
  }

  private static List<EventMessage<?>> events(String... payloads) {
    List<EventMessage<?>> events = new ArrayList<>();
    for (String p : payloads) {
      events.add(GenericEventMessage.asEventMessage(p));
    }
    return events;
  }

  /**
   * Runs the callback as if in a transaction; the recorder's logic is what is under test. Counts
   * {@link #begun} down at each begin; a slow one then waits for {@link #release} before going on.
   */
  private static final class NoTransactions extends AbstractPlatformTransactionManager {
    final CountDownLatch begun = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final boolean slow;
    volatile boolean failCommit;
    final AtomicInteger commits = new AtomicInteger();

    NoTransactions() {
      this(false);
    }

    NoTransactions(boolean slow) {
      this.slow = slow;
    }

    @Override
    protected Object doGetTransaction() {
      return new Object();
    }

    @Override
    protected void doBegin(Object transaction, TransactionDefinition definition) {
      begun.countDown();
      if (slow) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    @Override
    protected void doCommit(DefaultTransactionStatus status) {
      commits.incrementAndGet();
      if (failCommit) {
        throw new TransactionSystemException("connection lost during COMMIT");
      }
    }

    @Override
    protected void doRollback(DefaultTransactionStatus status) {}
  }
}

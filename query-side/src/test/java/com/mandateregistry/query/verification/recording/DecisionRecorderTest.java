package com.mandateregistry.query.verification.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.SimpleEventBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;

/** The group commit's status check: a refused request stores nothing, the rest of its batch does. */
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

  @AfterEach
  void stop() {
    recorder.stop();
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
          .isInstanceOf(DecisionNotRecordedException.class);
    } finally {
      failing.stop();
    }
  }

  private static List<EventMessage<?>> events(String... payloads) {
    List<EventMessage<?>> events = new ArrayList<>();
    for (String p : payloads) {
      events.add(GenericEventMessage.asEventMessage(p));
    }
    return events;
  }

  /** Runs the callback as if in a transaction; the recorder's logic is what is under test. */
  private static final class NoTransactions extends AbstractPlatformTransactionManager {
    @Override
    protected Object doGetTransaction() {
      return new Object();
    }

    @Override
    protected void doBegin(Object transaction, TransactionDefinition definition) {}

    @Override
    protected void doCommit(DefaultTransactionStatus status) {}

    @Override
    protected void doRollback(DefaultTransactionStatus status) {}
  }
}

package com.mandateregistry.infra.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The floor between one thread's tailing reads, on Axon's in-memory storage engine, with a clock
 * the test moves and a sleeper that records the waits (and moves the clock by them).
 */
class PacedEventStorageEngineTest {

  private static final long MS = 1_000_000L;

  private final AtomicLong now = new AtomicLong(1_000 * MS);
  private final List<Long> waits = new ArrayList<>();
  private final InMemoryEventStorageEngine store = new InMemoryEventStorageEngine();
  private final PacedEventStorageEngine paced =
      new PacedEventStorageEngine(
          store,
          Duration.ofMillis(5),
          now::get,
          nanos -> {
            waits.add(nanos);
            now.addAndGet(nanos);
          });

  private static GenericDomainEventMessage<String> event(String aggregate, long sequence) {
    return new GenericDomainEventMessage<>("test", aggregate, sequence, "payload-" + aggregate + "-" + sequence);
  }

  private List<Object> payloadsAfter(TrackingToken token) {
    return paced.readEvents(token, true).map(TrackedEventMessage::getPayload).collect(Collectors.toList());
  }

  @Test
  void aReadSoonerThanTheIntervalAfterTheLastWaitsForTheRest_andLaterOnesDoNot() {
    store.appendEvents(event("a", 0), event("a", 1));

    assertThat(payloadsAfter(null)).containsExactly("payload-a-0", "payload-a-1");
    assertThat(waits).as("the first read does not wait").isEmpty();

    now.addAndGet(2 * MS);
    assertThat(payloadsAfter(null)).containsExactly("payload-a-0", "payload-a-1");
    assertThat(waits).as("2 ms after the last read: waits the 3 ms left").containsExactly(3 * MS);

    now.addAndGet(7 * MS);
    payloadsAfter(null);
    assertThat(waits).as("7 ms after: no wait").hasSize(1);

    payloadsAfter(null);
    assertThat(waits).as("at once after: the whole interval").containsExactly(3 * MS, 5 * MS);
  }

  @Test
  void everyEventIsReadInOrder_fromTheTokenGiven() {
    store.appendEvents(event("a", 0), event("b", 0));
    TrackingToken afterFirst = paced.readEvents(null, true).findFirst().orElseThrow().trackingToken();
    store.appendEvents(event("a", 1));

    assertThat(payloadsAfter(afterFirst)).containsExactly("payload-b-0", "payload-a-1");
    assertThat(paced.createTailToken()).isEqualTo(store.createTailToken());
    assertThat(paced.createHeadToken()).isEqualTo(store.createHeadToken());
  }

  @Test
  void appendsAggregateReadsAndTokensAreNeverDelayed() {
    payloadsAfter(null);
    for (int i = 0; i < 3; i++) {
      paced.appendEvents(List.of(event("c", i)));
    }
    assertThat(paced.readEvents("c").asStream().count()).isEqualTo(3);
    assertThat(paced.readEvents("c", 1).asStream().count()).isEqualTo(2);
    assertThat(paced.lastSequenceNumberFor("c")).contains(2L);
    assertThat(paced.readSnapshot("c")).isEmpty();
    paced.createHeadToken();
    assertThat(waits).isEmpty();
  }

  @Test
  void eachThreadIsPacedOnItsOwn() throws Exception {
    payloadsAfter(null);
    CompletableFuture.runAsync(() -> payloadsAfter(null)).get(10, TimeUnit.SECONDS);
    assertThat(waits).as("another thread's first read does not wait for this one's").isEmpty();
    payloadsAfter(null);
    assertThat(waits).containsExactly(5 * MS);
  }

  @Test
  void anInterruptEndsTheWait_theReadHappens_andTheInterruptStaysSet() {
    PacedEventStorageEngine interrupted =
        new PacedEventStorageEngine(
            store,
            Duration.ofMillis(5),
            now::get,
            nanos -> {
              throw new InterruptedException();
            });
    store.appendEvents(event("d", 0));
    interrupted.readEvents(null, true).count();
    try {
      assertThat(interrupted.readEvents(null, true).count()).isEqualTo(1);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void zeroTurnsPacingOff_aNegativeIntervalIsRefused() {
    PacedEventStorageEngine off =
        new PacedEventStorageEngine(store, Duration.ZERO, now::get, nanos -> waits.add(nanos));
    for (int i = 0; i < 3; i++) {
      off.readEvents(null, true).count();
    }
    assertThat(waits).isEmpty();
    assertThatThrownBy(() -> new PacedEventStorageEngine(store, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theRealSleeperWaitsTheInterval() {
    PacedEventStorageEngine real = new PacedEventStorageEngine(store, Duration.ofMillis(40));
    long start = System.nanoTime();
    real.readEvents(null, true).count();
    real.readEvents(null, true).count();
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(40 * MS);
  }

  private static Object postProcessed(Object bean, String interval) {
    StandardEnvironment environment = new StandardEnvironment();
    environment.setConversionService(new ApplicationConversionService());
    if (interval != null) {
      environment
          .getPropertySources()
          .addFirst(new MapPropertySource("test", Map.of("mandate-registry.publisher.min-read-interval", interval)));
    }
    return AxonConfig.pacedEventStorageEngine(environment).postProcessAfterInitialization(bean, "bean");
  }

  @Test
  void theApplicationsEngineIsWrappedOnce_withTheConfiguredInterval() {
    Object wrapped = postProcessed(store, null);
    assertThat(wrapped).isInstanceOf(PacedEventStorageEngine.class);
    assertThat(((PacedEventStorageEngine) wrapped).delegate()).isSameAs(store);
    assertThat(postProcessed(wrapped, null)).as("not wrapped twice").isSameAs(wrapped);
    assertThat(postProcessed("another bean", null)).isEqualTo("another bean");

    PacedEventStorageEngine slow = (PacedEventStorageEngine) postProcessed(store, "40ms");
    long start = System.nanoTime();
    slow.readEvents(null, true).count();
    slow.readEvents(null, true).count();
    assertThat(System.nanoTime() - start).as("40 ms between reads").isGreaterThanOrEqualTo(40 * MS);

    assertThatThrownBy(() -> postProcessed(store, "-1ms"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mandate-registry.publisher.min-read-interval must not be negative");
  }
}

package com.mandateregistry.infra.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The event store's cache with its dropped nodes unlinked, on Axon's in-memory storage engine and
 * a cache of two events: what it unlinks, and that a stream still reads every event in order.
 */
@Timeout(120)
class UnlinkingEventStoreTest {

  private final List<EmbeddedEventStore> stores = new ArrayList<>();

  @AfterEach
  void shutDown() {
    stores.forEach(EmbeddedEventStore::shutDown);
  }

  private <S extends EmbeddedEventStore> S store(Supplier<S> created) {
    S store = created.get();
    stores.add(store);
    return store;
  }

  private static EmbeddedEventStore.Builder builder() {
    return EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()).cachedEvents(2);
  }

  private static void publish(EmbeddedEventStore store, int from, int to) {
    for (int i = from; i < to; i++) {
      store.publish(GenericEventMessage.asEventMessage("event-" + i));
    }
  }

  private static Object field(Object owner, Class<?> declaring, String name) throws ReflectiveOperationException {
    Field field = declaring.getDeclaredField(name);
    field.setAccessible(true);
    return field.get(owner);
  }

  private static Object oldest(EmbeddedEventStore store) throws ReflectiveOperationException {
    return field(store, EmbeddedEventStore.class, "oldest");
  }

  private static Object next(Object node) throws ReflectiveOperationException {
    return field(node, node.getClass(), "next");
  }

  /**
   * Reads {@code count} events from {@code stream} as a tracking processor does: a wait that ends
   * without an event is retried (Axon's stream returns none while it moves between the cache and a
   * private stream); fails if they take more than 60 s in all.
   */
  private static List<Object> read(BlockingStream<TrackedEventMessage<?>> stream, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    List<Object> payloads = new ArrayList<>();
    while (payloads.size() < count) {
      assertThat(System.nanoTime()).as("event %d in time", payloads.size()).isLessThan(deadline);
      if (stream.hasNextAvailable(100, TimeUnit.MILLISECONDS)) {
        payloads.add(stream.nextAvailable().getPayload());
      }
    }
    return payloads;
  }

  /** Lets {@code stream}, at the head of the store, move to the cache, which starts its reader. */
  private static void tail(BlockingStream<TrackedEventMessage<?>> stream) throws InterruptedException {
    assertThat(stream.hasNextAvailable(10, TimeUnit.MILLISECONDS)).as("nothing more to read").isFalse();
  }

  private static List<Object> expected(int from, int to) {
    List<Object> payloads = new ArrayList<>();
    for (int i = from; i < to; i++) {
      payloads.add("event-" + i);
    }
    return payloads;
  }

  /**
   * Waits, by polling, until the store's background reader has cached {@code payload} as its
   * newest event, and returns the oldest cached node then. (The reader fetches only while a
   * stream tails the cache.)
   */
  private static Object awaitCached(EmbeddedEventStore store, String payload) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      Object oldest = oldest(store);
      Object newest = oldest;
      while (newest != null && next(newest) != null) {
        newest = next(newest);
      }
      Object cached = newest == null ? null : field(newest, newest.getClass(), "event");
      if (cached != null && payload.equals(((TrackedEventMessage<?>) cached).getPayload())) {
        return oldest;
      }
      assertThat(System.nanoTime()).as("%s cached in time", payload).isLessThan(deadline);
      Thread.sleep(1);
    }
  }

  @Test
  void theAxonVersionOnTheClasspathHasTheFieldsItUnlinks() {
    assertThat(UnlinkingEventStore.unlinks()).isTrue();
  }

  @Test
  void aNodeDroppedFromTheCacheIsUnlinked_whereAxonsOwnStoreKeepsItLinked() throws Exception {
    UnlinkingEventStore unlinking = store(() -> new UnlinkingEventStore(builder()));
    EmbeddedEventStore axons = store(() -> builder().build());
    for (EmbeddedEventStore store : List.of(unlinking, axons)) {
      BlockingStream<TrackedEventMessage<?>> tailing = store.openStream(null);
      publish(store, 0, 1);
      assertThat(read(tailing, 1)).containsExactly("event-0");
      tail(tailing);
      Object first = null;
      // one event at a time, each read from the cache, so that the stream never falls behind it
      for (int i = 1; i <= 5; i++) {
        publish(store, i, i + 1);
        Object oldest = awaitCached(store, "event-" + i);
        if (i == 1) {
          first = oldest;
          if (store == unlinking) {
            assertThat(unlinking.unlinkDroppedNodes()).as("nothing dropped yet").isZero();
          }
        }
        assertThat(read(tailing, 1)).containsExactly("event-" + i);
      }
      assertThat(oldest(store)).as("the first node has been dropped").isNotSameAs(first);

      publish(store, 6, 7); // its commit unlinks what the cache has dropped by now

      if (store == unlinking) {
        assertThat(next(first)).as("the dropped first node's link").isNull();
      } else {
        assertThat(next(first)).as("Axon's dropped first node's link").isNotNull();
      }
      tailing.close();
    }
  }

  @Test
  void aStreamPositionedOnAnUnlinkedNodeStillReadsEveryEventInOrder() throws Exception {
    UnlinkingEventStore store = store(() -> new UnlinkingEventStore(builder()));
    BlockingStream<TrackedEventMessage<?>> stream = store.openStream(null);
    publish(store, 0, 1);
    assertThat(read(stream, 1)).containsExactly("event-0");
    tail(stream);
    publish(store, 1, 2);
    Object positioned = awaitCached(store, "event-1");
    assertThat(read(stream, 1)).as("read from the cache").containsExactly("event-1");

    publish(store, 2, 20); // far beyond the cache of two
    awaitCached(store, "event-19"); // the stream stays on the node of event-1
    store.unlinkDroppedNodes();
    assertThat(next(positioned)).as("the stream's node, unlinked").isNull();

    assertThat(read(stream, 18)).isEqualTo(expected(2, 20));
    stream.close();
  }

  @Test
  void aReaderRacingAWriterGetsEveryEventOnceAndInOrder() throws Exception {
    UnlinkingEventStore store = store(() -> new UnlinkingEventStore(builder()));
    BlockingStream<TrackedEventMessage<?>> stream = store.openStream(null);
    int events = 3_000;
    CompletableFuture<List<Object>> read = CompletableFuture.supplyAsync(() -> {
      try {
        return read(stream, events);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });

    publish(store, 0, events);

    assertThat(read.get(60, TimeUnit.SECONDS)).isEqualTo(expected(0, events));
    stream.close();
  }
}

package com.mandateregistry.infra.axon;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Axon's embedded event store, except that the nodes its cache of recent events drops are
 * unlinked from the nodes after them.
 *
 * <p>The cache is a singly linked list: a background reader appends each stored event as a node
 * and moves {@code oldest} forward past the nodes beyond the cache size, but leaves a dropped node's
 * {@code next} pointing at its successor. A node that lived long enough to be promoted to the old
 * generation and then was dropped is dead, yet a young collection treats its {@code next} as a root
 * until a full marking finds it dead: its successor survives and is promoted, and so does every node
 * after it. At a steady thousand events a second every event then passes through the old
 * generation, which lengthened each young pause (BENCHMARKS.md, "The cache nodes nobody unlinked";
 * AxonFramework issue 2954 describes the same chain as a leak).
 *
 * <p>After each commit this store sets {@code next} to null on every node that has dropped out of
 * the cache since the last time. A stream still positioned on such a node is behind the cache by
 * definition, and Axon then moves it to a private stream from the event storage at its last token,
 * as it does for any stream that falls behind; no event is skipped. If a later Axon release renames
 * the fields this relies on, the store logs one warning and behaves exactly as Axon's.
 */
final class UnlinkingEventStore extends EmbeddedEventStore {

  private static final Logger log = LoggerFactory.getLogger(UnlinkingEventStore.class);

  /** {@code EmbeddedEventStore.oldest} and {@code EmbeddedEventStore.Node.next}; null if absent. */
  private static final VarHandle OLDEST;
  private static final VarHandle NEXT;

  static {
    VarHandle oldest = null;
    VarHandle next = null;
    try {
      Class<?> node = Class.forName(EmbeddedEventStore.class.getName() + "$Node");
      oldest = MethodHandles.privateLookupIn(EmbeddedEventStore.class, MethodHandles.lookup())
          .findVarHandle(EmbeddedEventStore.class, "oldest", node);
      next = MethodHandles.privateLookupIn(node, MethodHandles.lookup()).findVarHandle(node, "next", node);
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn("Axon's EmbeddedEventStore no longer has the cache fields this store unlinks ({}); "
          + "dropped cache nodes stay linked, which costs longer young-generation pauses", e.toString());
      oldest = null;
      next = null;
    }
    OLDEST = oldest;
    NEXT = next;
  }

  private final ReentrantLock unlinking = new ReentrantLock();

  /** The oldest cached node when the last unlinking ran; the next run starts here. */
  private Object unlinkedUpTo;

  UnlinkingEventStore(Builder builder) {
    super(builder);
  }

  /** Whether this Axon version has the fields the unlinking needs. */
  static boolean unlinks() {
    return OLDEST != null;
  }

  @Override
  protected void afterCommit(List<? extends EventMessage<?>> events) {
    super.afterCommit(events);
    unlinkDroppedNodes();
  }

  /**
   * Unlinks the nodes dropped from the cache since the last call; skipped if another thread is
   * doing it (what it would unlink now, the next call does).
   *
   * @return how many nodes were unlinked
   */
  int unlinkDroppedNodes() {
    if (OLDEST == null || !unlinking.tryLock()) {
      return 0;
    }
    try {
      Object oldest = OLDEST.getVolatile(this);
      if (oldest == null) {
        return 0;
      }
      int unlinked = 0;
      for (Object node = unlinkedUpTo; node != null && node != oldest; unlinked++) {
        Object next = NEXT.getVolatile(node);
        NEXT.setVolatile(node, null);
        node = next;
      }
      unlinkedUpTo = oldest;
      return unlinked;
    } finally {
      unlinking.unlock();
    }
  }
}

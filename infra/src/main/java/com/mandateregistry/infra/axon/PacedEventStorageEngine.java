package com.mandateregistry.infra.axon;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;

/**
 * The event storage engine, with a floor on how often one thread may read the stream of stored
 * events: a read that follows the same thread's previous one sooner than {@code minInterval}
 * waits for the rest of the interval first. Everything else is passed through as it is.
 *
 * <p>Why: Axon's embedded event store reads the store again as soon as a read found events, so
 * under a steady stream of small commits (the group commit of decisions, a few events every
 * millisecond) its reader, which feeds the Kafka publisher, ran one transaction per commit: about
 * a thousand reads a second at 1,000 verifications/s, each finding one or two events, and each
 * handing the publisher a batch of that size (one token update and one Kafka request per batch).
 * With a floor of a few milliseconds the same events are read, in the same order, in fewer and
 * larger batches; the cost is up to {@code minInterval} more between a commit and its
 * publication. A read after an idle spell (longer than the interval) is not delayed at all, and
 * appends, aggregate reads and snapshots never are. Measured in BENCHMARKS.md ("Fewer, larger
 * batches behind the decision").
 */
final class PacedEventStorageEngine implements EventStorageEngine {

  private final EventStorageEngine delegate;
  private final long minIntervalNanos;
  private final LongSupplier nanoClock;
  private final Sleeper sleeper;
  private final ThreadLocal<long[]> lastRead = ThreadLocal.withInitial(() -> new long[] {Long.MIN_VALUE});

  /** Waits; interruptible. */
  interface Sleeper {
    void sleepNanos(long nanos) throws InterruptedException;
  }

  PacedEventStorageEngine(EventStorageEngine delegate, Duration minInterval) {
    this(delegate, minInterval, System::nanoTime, nanos -> TimeUnit.NANOSECONDS.sleep(nanos));
  }

  PacedEventStorageEngine(
      EventStorageEngine delegate, Duration minInterval, LongSupplier nanoClock, Sleeper sleeper) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    if (minInterval.isNegative()) {
      throw new IllegalArgumentException("minInterval must not be negative: " + minInterval);
    }
    this.minIntervalNanos = minInterval.toNanos();
    this.nanoClock = nanoClock;
    this.sleeper = sleeper;
  }

  EventStorageEngine delegate() {
    return delegate;
  }

  @Override
  public Stream<? extends TrackedEventMessage<?>> readEvents(
      TrackingToken trackingToken, boolean mayBlock) {
    pace();
    return delegate.readEvents(trackingToken, mayBlock);
  }

  /**
   * Waits until {@code minInterval} has passed since this thread's previous read. An interrupt
   * ends the wait early and stays set, so a thread being shut down reads at once and then sees it.
   */
  private void pace() {
    if (minIntervalNanos == 0) {
      return;
    }
    long[] last = lastRead.get();
    long now = nanoClock.getAsLong();
    if (last[0] != Long.MIN_VALUE) {
      long wait = last[0] + minIntervalNanos - now;
      if (wait > 0) {
        try {
          sleeper.sleepNanos(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        now = nanoClock.getAsLong();
      }
    }
    last[0] = now;
  }

  @Override
  public void appendEvents(List<? extends EventMessage<?>> events) {
    delegate.appendEvents(events);
  }

  @Override
  public void appendEvents(EventMessage<?>... events) {
    delegate.appendEvents(events);
  }

  @Override
  public void storeSnapshot(DomainEventMessage<?> snapshot) {
    delegate.storeSnapshot(snapshot);
  }

  @Override
  public DomainEventStream readEvents(String aggregateIdentifier) {
    return delegate.readEvents(aggregateIdentifier);
  }

  @Override
  public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
    return delegate.readEvents(aggregateIdentifier, firstSequenceNumber);
  }

  @Override
  public Optional<DomainEventMessage<?>> readSnapshot(String aggregateIdentifier) {
    return delegate.readSnapshot(aggregateIdentifier);
  }

  @Override
  public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
    return delegate.lastSequenceNumberFor(aggregateIdentifier);
  }

  @Override
  public TrackingToken createTailToken() {
    return delegate.createTailToken();
  }

  @Override
  public TrackingToken createHeadToken() {
    return delegate.createHeadToken();
  }

  @Override
  public TrackingToken createTokenAt(Instant dateTime) {
    return delegate.createTokenAt(dateTime);
  }
}

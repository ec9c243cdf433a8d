package com.mandateregistry.infra.axon;

import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.Buffer;

/**
 * The bounded buffer between a Kafka fetcher and the processor that reads its records, in the
 * order they were fetched: Axon's {@code Buffer} contract (duplicates dropped, {@code put} of a new
 * record waits while full, a fetcher's exception is thrown to the reader once the buffer is empty)
 * on a {@link LinkedHashSet} under one lock.
 *
 * <p><b>Why fetch order, not Axon's sorted order.</b> Axon's {@code SortedKafkaMessageBuffer} hands
 * records out by their Kafka timestamp, but each record carries the tracking token of the moment
 * the fetcher converted it: the positions of every partition fetched so far. A record handed out
 * ahead of others fetched before it therefore carries a token past them. A processor that stores
 * that token at the end of a batch and later opens its stream again (after an error, a restart, a
 * claim moved to another node) resumes after records it never handled, and they are skipped for
 * good: lost audit entries. And within one partition, a record with an earlier timestamp (the
 * publisher's clock stepped back, or the publisher moved to a node whose clock is behind) overtook
 * the one before it. In fetch order each record's token covers exactly the records handed out up
 * to it, and each partition stays in offset order. Nothing here needs an order across partitions:
 * a tenant's events are in one partition, and every consumer orders by tenant or by mandate.
 *
 * <p><b>Why not a concurrent queue</b> (ADR 0006). A skip list used as a queue leaves every removed
 * node linked to its successor. Once a removed node has been promoted to the old generation, the
 * garbage collector treats that link as a root until the next full marking, so every record
 * buffered after it survives each young collection and is copied and promoted in turn. A linked
 * hash set's removed entries are unlinked, so a record buffered and read between two collections
 * is never copied. Every access holds the lock, as the skip-list buffer's did.
 *
 * @param <E> the buffered records
 */
public final class FetchOrderRecordBuffer<E> implements Buffer<E> {

  private final LinkedHashSet<E> records = new LinkedHashSet<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  private final int capacity;

  /** A buffer of at most {@code capacity} records. */
  public FetchOrderRecordBuffer(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
  }

  @Override
  public void put(E record) throws InterruptedException {
    Objects.requireNonNull(record, "record");
    lock.lockInterruptibly();
    try {
      add(record);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void putAll(Collection<E> batch) throws InterruptedException {
    Objects.requireNonNull(batch, "batch");
    lock.lockInterruptibly();
    try {
      for (E record : batch) {
        add(record);
      }
    } finally {
      lock.unlock();
    }
  }

  private void add(E record) throws InterruptedException {
    while (records.size() == capacity && !records.contains(record)) {
      notFull.await();
    }
    if (records.add(record)) {
      notEmpty.signal();
    }
  }

  @Override
  public E poll(long timeout, TimeUnit unit) throws InterruptedException {
    long nanos = unit.toNanos(timeout);
    lock.lockInterruptibly();
    try {
      while (records.isEmpty()) {
        throwIfFailed();
        if (nanos <= 0) {
          return null;
        }
        nanos = notEmpty.awaitNanos(nanos);
      }
      return remove();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public E take() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (records.isEmpty()) {
        throwIfFailed();
        notEmpty.await();
      }
      return remove();
    } finally {
      lock.unlock();
    }
  }

  private E remove() {
    Iterator<E> oldest = records.iterator();
    E first = oldest.next();
    oldest.remove();
    notFull.signal();
    return first;
  }

  @Override
  public E peek() {
    lock.lock();
    try {
      if (records.isEmpty()) {
        throwIfFailed();
        return null;
      }
      return records.iterator().next();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int size() {
    lock.lock();
    try {
      return records.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean isEmpty() {
    return size() == 0;
  }

  @Override
  public int remainingCapacity() {
    return capacity - size();
  }

  @Override
  public void clear() {
    lock.lock();
    try {
      records.clear();
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Records the fetcher's failure; a reader gets it once the buffer is empty. */
  @Override
  public void setException(RuntimeException exception) {
    failure.set(exception);
    lock.lock();
    try {
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void throwIfFailed() {
    RuntimeException exception = failure.get();
    if (exception != null) {
      throw exception;
    }
  }

  @Override
  public String toString() {
    return "FetchOrderRecordBuffer{size=" + size() + ", capacity=" + capacity + "}";
  }
}

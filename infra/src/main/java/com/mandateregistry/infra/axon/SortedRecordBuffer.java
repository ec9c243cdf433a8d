package com.mandateregistry.infra.axon;

import java.util.Collection;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.Buffer;

/**
 * The bounded, sorted buffer between a Kafka fetcher and the processor that reads its records:
 * the same contract as Axon's {@code SortedKafkaMessageBuffer} (records in their natural order,
 * duplicates dropped, {@code put} of a new record waits while full, a fetcher's exception is
 * thrown to the reader once the buffer is empty), on a {@link TreeSet} under one lock instead of a
 * concurrent skip list.
 *
 * <p>Why: a skip list used as a queue leaves every removed node linked to its successor. Once a
 * removed node has been promoted to the old generation, the garbage collector treats that link as a
 * root until the next full marking, so every record buffered after it survives each young
 * collection and is copied and promoted in turn: at a steady thousand events a second the whole
 * stream flows through the old generation. A tree's removed entries are unlinked, so a record
 * buffered and read between two collections is never copied. Every access here holds the lock, as
 * the skip-list buffer's did, so the lock-free list bought nothing.
 *
 * @param <E> the buffered records, ordered by their natural order
 */
public final class SortedRecordBuffer<E extends Comparable<? super E>> implements Buffer<E> {

  private final TreeSet<E> records = new TreeSet<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  private final int capacity;

  /** A buffer of at most {@code capacity} records. */
  public SortedRecordBuffer(int capacity) {
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
    E first = records.pollFirst();
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
      return records.first();
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
    return "SortedRecordBuffer{size=" + size() + ", capacity=" + capacity + "}";
  }
}

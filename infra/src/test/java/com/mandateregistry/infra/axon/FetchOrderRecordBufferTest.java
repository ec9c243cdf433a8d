package com.mandateregistry.infra.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The buffer between a Kafka fetcher and its processor: fetch order, bounds, waiting and failure. */
@Timeout(60)
class FetchOrderRecordBufferTest {

  private final FetchOrderRecordBuffer<Integer> buffer = new FetchOrderRecordBuffer<>(3);

  /** Waits, by polling, until {@code thread} is parked in the buffer. */
  private static void awaitParked(Thread thread) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING) {
      assertThat(System.nanoTime()).as("%s parked in time", thread.getName()).isLessThan(deadline);
      Thread.sleep(1);
    }
  }

  /** Starts a fetcher thread that puts {@code record}; {@code put} completes once the put returned. */
  private Thread fetcher(int record, CompletableFuture<Void> put) {
    Thread fetcher = new Thread(() -> {
      try {
        buffer.put(record);
        put.complete(null);
      } catch (InterruptedException e) {
        put.completeExceptionally(e);
      }
    }, "fetcher");
    fetcher.start();
    return fetcher;
  }

  @Test
  void recordsComeOutInTheOrderTheyWerePut_andADuplicateIsKeptOnce() throws Exception {
    buffer.putAll(List.of(30, 10));
    buffer.put(20);
    buffer.put(10); // a duplicate, into a full buffer: dropped at once, not waited for

    assertThat(buffer.size()).isEqualTo(3);
    assertThat(buffer.remainingCapacity()).isZero();
    assertThat(buffer.peek()).isEqualTo(30);
    assertThat(buffer.take()).isEqualTo(30);
    assertThat(buffer.poll(0, TimeUnit.MILLISECONDS)).isEqualTo(10);
    assertThat(buffer.poll(1, TimeUnit.SECONDS)).isEqualTo(20);
    assertThat(buffer.isEmpty()).isTrue();
    assertThat(buffer.peek()).isNull();
  }

  @Test
  void aPollOnAnEmptyBufferReturnsNothingAfterItsTimeout_orTheRecordPutMeanwhile() throws Exception {
    assertThat(buffer.poll(5, TimeUnit.MILLISECONDS)).isNull();

    CompletableFuture<Integer> polled = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try {
        polled.complete(buffer.poll(30, TimeUnit.SECONDS));
      } catch (InterruptedException e) {
        polled.completeExceptionally(e);
      }
    }, "reader");
    reader.start();
    awaitParked(reader);
    buffer.put(7);

    assertThat(polled.get(10, TimeUnit.SECONDS)).isEqualTo(7);
  }

  @Test
  void aPutIntoAFullBufferWaitsForRoom() throws Exception {
    buffer.putAll(List.of(1, 2, 3));
    CompletableFuture<Void> put = new CompletableFuture<>();
    awaitParked(fetcher(4, put));
    assertThat(buffer.size()).as("still full while the fetcher waits").isEqualTo(3);
    assertThat(put).as("the put still waits").isNotDone();

    assertThat(buffer.take()).isEqualTo(1);

    put.get(10, TimeUnit.SECONDS);
    assertThat(List.of(buffer.take(), buffer.take(), buffer.take())).containsExactly(2, 3, 4);
  }

  @Test
  void clearEmptiesTheBufferAndLetsAWaitingPutIn() throws Exception {
    buffer.putAll(List.of(1, 2, 3));
    CompletableFuture<Void> put = new CompletableFuture<>();
    Thread fetcher = fetcher(9, put);
    awaitParked(fetcher);

    buffer.clear();
    put.get(10, TimeUnit.SECONDS);
    fetcher.join(10_000);

    assertThat(fetcher.isAlive()).isFalse();
    assertThat(buffer.take()).isEqualTo(9);
    assertThat(buffer.isEmpty()).isTrue();
  }

  @Test
  void aFetchersFailureReachesTheReaderOnceTheBufferIsEmpty_andWakesOneThatWaits() throws Exception {
    buffer.put(1);
    RuntimeException failure = new IllegalStateException("broker gone");

    CompletableFuture<Integer> taken = new CompletableFuture<>();
    Thread waiting = new Thread(() -> {
      try {
        buffer.take(); // the 1
        taken.complete(buffer.take());
      } catch (RuntimeException | InterruptedException e) {
        taken.completeExceptionally(e);
      }
    }, "reader");
    waiting.start();
    awaitParked(waiting);
    buffer.setException(failure);

    assertThatThrownBy(() -> taken.get(10, TimeUnit.SECONDS)).hasCause(failure);
    assertThatThrownBy(() -> buffer.poll(1, TimeUnit.SECONDS)).isSameAs(failure);
    assertThatThrownBy(buffer::peek).isSameAs(failure);
    buffer.put(2);
    assertThat(buffer.take()).as("what was buffered is still read first").isEqualTo(2);
  }

  @Test
  void aCapacityBelowOneIsRefused() {
    assertThatThrownBy(() -> new FetchOrderRecordBuffer<Integer>(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capacity");
  }
}

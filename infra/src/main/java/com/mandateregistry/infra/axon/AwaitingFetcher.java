package com.mandateregistry.infra.axon;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.axonframework.common.AxonThreadFactory;
import org.axonframework.common.Registration;
import org.axonframework.extensions.kafka.eventhandling.consumer.AsyncFetcher;
import org.axonframework.extensions.kafka.eventhandling.consumer.EventConsumer;
import org.axonframework.extensions.kafka.eventhandling.consumer.Fetcher;
import org.axonframework.extensions.kafka.eventhandling.consumer.RecordConverter;
import org.axonframework.extensions.kafka.eventhandling.consumer.RuntimeErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Axon's {@link AsyncFetcher} on a thread pool of its own, whose {@link #shutdown} returns only
 * once every consumer it ran has closed.
 *
 * <p>{@link AsyncFetcher#shutdown} asks its fetch tasks to stop and returns at once; each task
 * closes its consumer after its current poll, up to a poll timeout later. The application context
 * went on closing meanwhile, and the embedded broker could stop while those consumers were still
 * open: they logged that they could not reach it. Waiting here keeps the order the rest of the
 * shutdown keeps: the Kafka clients close before the broker.
 */
final class AwaitingFetcher<K, V, E> implements Fetcher<K, V, E> {

  private static final Logger log = LoggerFactory.getLogger(AwaitingFetcher.class);

  private final ExecutorService pool;
  private final AsyncFetcher<K, V, E> fetcher;
  private final Duration closeTimeout;

  /**
   * @param pollTimeout the consumers' poll timeout (ms), as Axon's {@code axon.kafka.fetcher.poll-timeout}
   * @param closeTimeout longest wait in {@link #shutdown} for the consumers to close
   */
  AwaitingFetcher(long pollTimeout, Duration closeTimeout) {
    // the pool Axon's fetcher makes for itself when given none, with the same thread names
    this.pool = Executors.newCachedThreadPool(new AxonThreadFactory("AsyncFetcher"));
    this.fetcher =
        AsyncFetcher.<K, V, E>builder().pollTimeout(pollTimeout).executorService(pool).build();
    this.closeTimeout = closeTimeout;
  }

  @Override
  public Registration poll(
      Consumer<K, V> consumer, RecordConverter<K, V, E> converter, EventConsumer<E> events) {
    return fetcher.poll(consumer, converter, events);
  }

  @Override
  public Registration poll(
      Consumer<K, V> consumer,
      RecordConverter<K, V, E> converter,
      EventConsumer<E> events,
      RuntimeErrorHandler errors) {
    return fetcher.poll(consumer, converter, events, errors);
  }

  /** Stops every fetch task and waits until their consumers are closed (at most the close timeout). */
  @Override
  public void shutdown() {
    fetcher.shutdown(); // given a pool, Axon's fetcher leaves it running
    pool.shutdown();
    try {
      if (!pool.awaitTermination(closeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("Kafka consumers still open {} after the fetcher was shut down", closeTimeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package com.mandateregistry.query.verification.recording;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores decision events durably, many requests per transaction (group commit).
 *
 * <p>{@link #record} hands a request's events to a writer thread and waits until the transaction
 * that stored them has committed; only then may the caller answer. The writer takes everything
 * queued so far (up to {@code maxBatch} events), appends it to the event store in one transaction,
 * and releases every waiting request at once. Under load a commit serves many requests, so the
 * cost per request stays far below one round trip; an idle system commits each request alone
 * without waiting for company.
 *
 * <p>The stored events then flow like any other: published to Kafka, chained by the audit ledger.
 */
public class DecisionRecorder implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(DecisionRecorder.class);

  private final EventBus eventBus;
  private final TransactionTemplate transactions;
  private final int maxBatch;
  private final Duration timeout;
  private final BlockingQueue<Request> queue;
  private volatile Thread writer;
  private volatile boolean running;

  /** One request's events and its completion. */
  private record Request(List<EventMessage<?>> events, CompletableFuture<Void> stored) {}

  /**
   * @param maxBatch most events appended in one transaction
   * @param capacity most requests waiting; beyond it {@link #record} fails at once (back-pressure)
   * @param timeout longest wait for a commit before {@link #record} gives up
   */
  public DecisionRecorder(
      EventBus eventBus, PlatformTransactionManager transactionManager, int maxBatch, int capacity,
      Duration timeout) {
    this.eventBus = Objects.requireNonNull(eventBus, "eventBus");
    this.transactions = new TransactionTemplate(transactionManager);
    this.maxBatch = maxBatch;
    this.timeout = timeout;
    this.queue = new ArrayBlockingQueue<>(capacity);
  }

  /**
   * Stores {@code events} (in this order, in one transaction with other requests' events) and
   * returns once they are committed.
   *
   * @throws DecisionNotRecordedException if they could not be stored (nothing may then be answered
   *     as if they were)
   */
  public void record(List<EventMessage<?>> events) {
    if (!running) {
      throw new DecisionNotRecordedException("the decision recorder is not running", null);
    }
    Request request = new Request(List.copyOf(events), new CompletableFuture<>());
    if (!queue.offer(request)) {
      throw new DecisionNotRecordedException("too many decisions waiting to be stored", null);
    }
    try {
      request.stored().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new DecisionNotRecordedException("the decision could not be stored", e.getCause());
    } catch (TimeoutException e) {
      throw new DecisionNotRecordedException("storing the decision took longer than " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DecisionNotRecordedException("interrupted while storing the decision", e);
    }
  }

  private void writeLoop() {
    List<Request> batch = new ArrayList<>();
    List<EventMessage<?>> events = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Request first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        events.addAll(first.events());
        while (events.size() < maxBatch) {
          Request next = queue.poll();
          if (next == null) {
            break;
          }
          batch.add(next);
          events.addAll(next.events());
        }
        try {
          transactions.executeWithoutResult(status -> eventBus.publish(events));
          batch.forEach(r -> r.stored().complete(null));
        } catch (RuntimeException e) {
          log.warn("could not store {} decision events: {}", events.size(), e.toString());
          batch.forEach(r -> r.stored().completeExceptionally(e));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        batch.clear();
        events.clear();
      }
    }
    Request left;
    while ((left = queue.poll()) != null) {
      left.stored().completeExceptionally(new IllegalStateException("shutting down"));
    }
  }

  @Override
  public void start() {
    running = true;
    Thread t = new Thread(this::writeLoop, "decision-recorder");
    t.setDaemon(true);
    writer = t;
    t.start();
  }

  @Override
  public void stop() {
    running = false;
    Thread t = writer;
    if (t != null) {
      try {
        t.join(timeout.toMillis() + 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /**
   * Starts before and stops after the web server (phase {@code Integer.MAX_VALUE - 2048}), so no
   * request arrives before it runs or after it stopped; Axon's event store (phases near 0) outlives
   * it.
   */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 4096;
  }
}

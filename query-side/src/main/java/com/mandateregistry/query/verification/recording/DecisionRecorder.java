package com.mandateregistry.query.verification.recording;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
 * <p>A request may ask for its mandate to be confirmed ACTIVE by the same transaction ({@link
 * #record(List, ActiveCheck)}), and for its delegate to have no DENY mandate in force that its
 * decision did not see ({@link #record(List, ActiveCheck, DenyCheck)}): one query for all the
 * checks of the batch ({@link ActiveMandates#refusals}), made after each of its requests was
 * handed over, instead of reads per request. A request whose check then fails stores nothing and
 * is told so; the others of the batch are stored as usual.
 *
 * <p>When the events cannot be stored, {@link #record} throws {@link DecisionNotRecordedException},
 * which says whether they are certainly not stored (never handed to a transaction, taken back from
 * the queue, or rolled back before the commit) or may still be (the commit itself failed, or the
 * writer had them when the wait ended).
 *
 * <p>The stored events then flow like any other: published to Kafka, chained by the audit ledger.
 */
public class DecisionRecorder implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(DecisionRecorder.class);

  private final EventBus eventBus;
  private final ActiveMandates activeMandates;
  private final TransactionTemplate transactions;
  private final int maxBatch;
  private final Duration timeout;
  private final BlockingQueue<Request> queue;
  private volatile Thread writer;
  private volatile boolean running;

  /**
   * One request's events, the mandate to confirm and the DENY mandates to have seen (either may be
   * null), and its completion: stored or not.
   */
  private record Request(
      List<EventMessage<?>> events,
      ActiveCheck check,
      DenyCheck denyCheck,
      CompletableFuture<Boolean> stored) {}

  /** A mandate that must still be ACTIVE, per its authoritative row, for the events to be stored. */
  public record ActiveCheck(String tenantId, String mandateId) {
    public ActiveCheck {
      Objects.requireNonNull(tenantId, "tenantId");
      Objects.requireNonNull(mandateId, "mandateId");
    }
  }

  /**
   * An ALLOW's delegate, and the mandates the decision saw with the version it saw of each: every
   * DENY mandate of the delegate that the authoritative rows list must be among them, and one the
   * rows say is ACTIVE must have been seen at its authoritative version (a decision that saw it at
   * an older version may have seen it still awaiting approval, or suspended), for the events to be
   * stored.
   */
  public record DenyCheck(String tenantId, String delegateSubjectId, Map<String, Long> seenVersions) {
    public DenyCheck {
      Objects.requireNonNull(tenantId, "tenantId");
      Objects.requireNonNull(delegateSubjectId, "delegateSubjectId");
      seenVersions = Map.copyOf(seenVersions);
    }

    /**
     * Whether a DENY mandate of the delegate, with its authoritative status and version, passes:
     * seen, and not ACTIVE at a newer version than seen.
     */
    public boolean passes(String mandateId, String status, long version) {
      Long seen = seenVersions.get(mandateId);
      return seen != null && !("ACTIVE".equals(status) && version > seen);
    }
  }

  /** Reads authoritative state, inside the recorder's transaction. */
  @FunctionalInterface
  public interface ActiveMandates {
    /** Of {@code checks}, those whose mandate is known and not ACTIVE. */
    Set<ActiveCheck> notActive(Collection<ActiveCheck> checks);

    /** Of {@code checks}, those whose delegate has a DENY mandate the check did not pass ({@link DenyCheck#passes}). */
    default Set<DenyCheck> unseenDenies(Collection<DenyCheck> checks) {
      return Set.of();
    }

    /**
     * Both kinds of checks of one batch (either collection may be empty): what {@link #notActive}
     * and {@link #unseenDenies} would say. A batch with an ALLOW has both kinds, so an
     * implementation that reads a database should answer them in one round trip; this default asks
     * the two methods.
     */
    default Refusals refusals(Collection<ActiveCheck> checks, Collection<DenyCheck> denyChecks) {
      return new Refusals(
          checks.isEmpty() ? Set.of() : notActive(checks),
          denyChecks.isEmpty() ? Set.of() : unseenDenies(denyChecks));
    }
  }

  /** The checks of a batch that failed: mandates not ACTIVE, and ALLOWs that missed a DENY mandate. */
  public record Refusals(Set<ActiveCheck> notActive, Set<DenyCheck> unseenDenies) {
    public Refusals {
      notActive = Set.copyOf(notActive);
      unseenDenies = Set.copyOf(unseenDenies);
    }
  }

  /**
   * @param maxBatch most events appended in one transaction
   * @param capacity most requests waiting; beyond it {@link #record} fails at once (back-pressure)
   * @param timeout longest wait for a commit before {@link #record} gives up
   */
  public DecisionRecorder(
      EventBus eventBus,
      ActiveMandates activeMandates,
      PlatformTransactionManager transactionManager,
      int maxBatch,
      int capacity,
      Duration timeout) {
    this.eventBus = Objects.requireNonNull(eventBus, "eventBus");
    this.activeMandates = Objects.requireNonNull(activeMandates, "activeMandates");
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
    submit(events, null, null);
  }

  /**
   * As {@link #record(List)}, but only if {@code check}'s mandate is still ACTIVE (or unknown) when
   * the transaction reads it; that read happens after this call began.
   *
   * @return true when stored; false when the mandate was not ACTIVE and nothing was stored
   * @throws DecisionNotRecordedException if they could not be stored
   */
  public boolean record(List<EventMessage<?>> events, ActiveCheck check) {
    return submit(events, Objects.requireNonNull(check, "check"), null);
  }

  /**
   * As {@link #record(List)}, but only if {@code check}'s mandate (when not null) is still ACTIVE
   * or unknown, and {@code denyCheck}'s delegate has no DENY mandate in force that the decision did
   * not see; both are read after this call began.
   *
   * @return true when stored; false when a check failed and nothing was stored
   * @throws DecisionNotRecordedException if they could not be stored
   */
  public boolean record(List<EventMessage<?>> events, ActiveCheck check, DenyCheck denyCheck) {
    return submit(events, check, Objects.requireNonNull(denyCheck, "denyCheck"));
  }

  private boolean submit(List<EventMessage<?>> events, ActiveCheck check, DenyCheck denyCheck) {
    if (!running) {
      throw new DecisionNotRecordedException("the decision recorder is not running", null, true);
    }
    Request request = new Request(List.copyOf(events), check, denyCheck, new CompletableFuture<>());
    if (!queue.offer(request)) {
      throw new DecisionNotRecordedException("too many decisions waiting to be stored", null, true);
    }
    try {
      return request.stored().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof DecisionNotRecordedException notRecorded) {
        throw notRecorded;
      }
      throw new DecisionNotRecordedException("the decision could not be stored", e.getCause(), false);
    } catch (TimeoutException e) {
      // still queued: taken back, so never stored; otherwise the writer has it and may store it
      throw new DecisionNotRecordedException(
          "storing the decision took longer than " + timeout, e, queue.remove(request));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DecisionNotRecordedException(
          "interrupted while storing the decision", e, queue.remove(request));
    }
  }

  /** Requests handed over and not yet taken by the writer. */
  public int waiting() {
    return queue.size();
  }

  private void writeLoop() {
    try {
      writeBatches();
    } finally {
      // however the writer ends, no request waits for it any more: later ones fail at once
      running = false;
      Request left;
      while ((left = queue.poll()) != null) {
        left.stored()
            .completeExceptionally(
                new DecisionNotRecordedException("the decision recorder is shutting down", null, true));
      }
    }
  }

  private void writeBatches() {
    List<Request> batch = new ArrayList<>();
    int events = 0;
    while (running || !queue.isEmpty()) {
      try {
        Request first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        events = first.events().size();
        while (events < maxBatch) {
          Request next = queue.poll();
          if (next == null) {
            break;
          }
          batch.add(next);
          events += next.events().size();
        }
        Set<Request> refused = Collections.newSetFromMap(new IdentityHashMap<>());
        boolean[] committing = {false};
        try {
          transactions.executeWithoutResult(
              status -> {
                refused.addAll(store(batch));
                committing[0] = true;
              });
          batch.forEach(r -> r.stored().complete(!refused.contains(r)));
        } catch (RuntimeException | Error e) {
          // an Error too (an OutOfMemoryError in one batch): the writer must outlive it, or every
          // later decision would wait for a thread that is gone
          if (e instanceof Error) {
            log.error("could not store {} decision events", events, e);
          } else {
            log.warn("could not store {} decision events: {}", events, e.toString());
          }
          // before the commit, the transaction rolled back; a failed commit may still have stored them
          DecisionNotRecordedException failure =
              new DecisionNotRecordedException(
                  committing[0]
                      ? "the decision's commit failed; it may have been stored"
                      : "the decision could not be stored",
                  e,
                  !committing[0]);
          batch.forEach(r -> r.stored().completeExceptionally(failure));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        batch.clear();
      }
    }
  }

  /**
   * In the transaction: confirms the batch's checks (the statuses and the DENY mandates, in one
   * query where {@link ActiveMandates#refusals} can), stores the rest; returns the refused requests.
   */
  private Set<Request> store(List<Request> batch) {
    List<ActiveCheck> checks = new ArrayList<>();
    List<DenyCheck> denyChecks = new ArrayList<>();
    for (Request r : batch) {
      if (r.check() != null) {
        checks.add(r.check());
      }
      if (r.denyCheck() != null) {
        denyChecks.add(r.denyCheck());
      }
    }
    Refusals refusals = activeMandates.refusals(checks, denyChecks); // no query for no checks
    Set<ActiveCheck> notActive = refusals.notActive();
    Set<DenyCheck> unseen = refusals.unseenDenies();
    Set<Request> refused = Collections.newSetFromMap(new IdentityHashMap<>());
    List<EventMessage<?>> events = new ArrayList<>();
    for (Request r : batch) {
      if ((r.check() != null && notActive.contains(r.check()))
          || (r.denyCheck() != null && unseen.contains(r.denyCheck()))) {
        refused.add(r);
      } else {
        events.addAll(r.events());
      }
    }
    if (!events.isEmpty()) {
      eventBus.publish(events);
    }
    return refused;
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

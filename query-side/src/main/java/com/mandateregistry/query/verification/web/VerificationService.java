package com.mandateregistry.query.verification.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.mandateregistry.api.EventMetadata;
import com.mandateregistry.api.Ids;
import com.mandateregistry.api.Settings;
import com.mandateregistry.api.mandate.MandateStatus;
import com.mandateregistry.api.mandate.constraints.Money;
import com.mandateregistry.api.verification.EscalationTriggeredEvent;
import com.mandateregistry.api.verification.VerificationAllowedEvent;
import com.mandateregistry.api.verification.VerificationDeniedEvent;
import com.mandateregistry.api.web.ApiException;
import com.mandateregistry.api.web.Caller;
import com.mandateregistry.api.web.ConsistencyTokens;
import com.mandateregistry.query.verification.BudgetWindow;
import com.mandateregistry.query.verification.Consumption;
import com.mandateregistry.query.verification.Decision;
import com.mandateregistry.query.verification.DecisionEngine;
import com.mandateregistry.query.verification.IndexBackfill;
import com.mandateregistry.query.verification.MandateAuthority;
import com.mandateregistry.query.verification.MandateSnapshot;
import com.mandateregistry.query.verification.RateWindow;
import com.mandateregistry.query.verification.RequestContext;
import com.mandateregistry.query.verification.UsageCounter;
import com.mandateregistry.query.verification.VerificationRequest;
import com.mandateregistry.query.verification.config.VerificationConfiguration;
import com.mandateregistry.query.verification.freshness.FreshnessGuard;
import com.mandateregistry.query.verification.index.VerificationIndex;
import com.mandateregistry.query.verification.recording.DecisionNotRecordedException;
import com.mandateregistry.query.verification.recording.DecisionRecorder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.messaging.MetaData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * One verification, end to end: the candidates from the in-memory index, the decision (consuming
 * rate limits and budgets), the authoritative status check for an ALLOW, the optional
 * Proof-of-Mandate, and the decision's events stored durably before the answer.
 *
 * <p>The status check of an ALLOW on a mandate without rate limit or budget is made by the
 * recorder, in the transaction that stores the decision (see {@link DeferredAuthority}); should it
 * find the mandate no longer ACTIVE, nothing is stored and the verification is decided again with
 * a status read per candidate, as for mandates with a rate limit or budget.
 *
 * <p>An ALLOW is also stored only if its decision saw every DENY mandate of the delegate that
 * {@code deny_mandate} lists, checked by the recorder in the same transaction (one query per group
 * commit): a DENY mandate acknowledged before the verification began overrides it even if this
 * node's index has not caught up yet. Then nothing is recorded, the verification waits up to {@code
 * mandate-registry.verification.deny-index-wait} for the index to hold the delegate's DENY
 * mandates, and is decided again; an index still behind after that is a 503.
 */
@Service
public class VerificationService {

  private static final Logger log = LoggerFactory.getLogger(VerificationService.class);

  private final VerificationIndex index;
  private final DecisionEngine engine;
  private final UsageCounter usage;
  private final FreshnessGuard freshness;
  private final DecisionRecorder recorder;
  private final MandateDetails details;
  private final ObjectProvider<ProofOfMandateIssuer> proofs;
  private final ObjectProvider<EventProcessingConfiguration> processing;
  private final ObjectProvider<IndexBackfill> backfill;
  private final Clock clock;
  private final Duration denyIndexWait;
  private final Duration consistencyWait;
  private volatile boolean indexReady;

  VerificationService(
      VerificationIndex index,
      DecisionEngine engine,
      UsageCounter usage,
      FreshnessGuard freshness,
      DecisionRecorder recorder,
      MandateDetails details,
      ObjectProvider<ProofOfMandateIssuer> proofs,
      ObjectProvider<EventProcessingConfiguration> processing,
      ObjectProvider<IndexBackfill> backfill,
      Clock clock,
      @Value("${mandate-registry.verification.deny-index-wait:2s}") Duration denyIndexWait,
      @Value("${mandate-registry.verification.consistency-wait:2s}") Duration consistencyWait) {
    this.denyIndexWait = Settings.positive("mandate-registry.verification.deny-index-wait", denyIndexWait);
    this.consistencyWait =
        Settings.positive("mandate-registry.verification.consistency-wait", consistencyWait);
    this.index = index;
    this.engine = engine;
    this.usage = usage;
    this.freshness = freshness;
    this.recorder = recorder;
    this.details = details;
    this.proofs = proofs;
    this.processing = processing;
    this.backfill = backfill;
    this.clock = clock;
  }

  /**
   * The outcome of one verification.
   *
   * @param eventId the stored VERIFICATION_ALLOWED / VERIFICATION_DENIED event
   * @param proof the Proof-of-Mandate, when asked for and allowed; else null
   * @param escalation on a DENY with {@code ESCALATION_REQUIRED}, what it triggered; else null
   */
  public record Outcome(
      Decision decision, String eventId, ProofOfMandateIssuer.Proof proof, Escalation escalation) {}

  /**
   * What a DENY with {@code ESCALATION_REQUIRED} tells the caller: the {@code ESCALATION_TRIGGERED}
   * event recorded with it, and the threshold the amount was above.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Escalation(@JsonProperty("event_id") String eventId, Money threshold) {}

  /**
   * Decides, records and returns.
   *
   * @throws ApiException 503 while the index is still being built after a start, when it has not
   *     learnt an acknowledged DENY mandate of the delegate within {@code deny-index-wait}, or when
   *     the decision could not be stored or the proof not signed
   */
  public Outcome verify(Caller caller, VerificationRequest request, boolean withProof) {
    requireIndexReady();
    Outcome outcome = decide(caller, request, withProof, new DeferredAuthority(freshness));
    for (int attempt = 2; outcome == null; attempt++) {
      // The recorder refused the ALLOW: its mandate is no longer ACTIVE, or the delegate has a DENY
      // mandate the index had not seen when it decided. Wait until this node's index holds every
      // DENY mandate of the delegate (its lag is milliseconds), then decide again, this time
      // reading every would-be ALLOW's status before anything is recorded.
      if (attempt > MAX_ATTEMPTS) {
        throw new ApiException(503, "SERVICE_UNAVAILABLE",
            "the delegate's mandates kept changing during the verification; retry", List.of());
      }
      awaitDenyMandatesIndexed(caller.tenantId(), request.delegateSubjectId());
      outcome = decide(caller, request, withProof, freshness);
    }
    return outcome;
  }

  /** Attempts at a decision before a verification gives up (503). */
  private static final int MAX_ATTEMPTS = 3;

  /** One attempt: decides on what the index holds now, and records; null if the recorder refused. */
  private Outcome decide(
      Caller caller, VerificationRequest request, boolean withProof, MandateAuthority authority) {
    try {
      return decideAndRecord(caller, request, withProof,
          index.candidates(caller.tenantId(), request.delegateSubjectId()), clock.instant(), authority);
    } catch (MandateDetails.NotYetReadable e) {
      // a proof for a mandate the index has but the read model not yet: nothing was stored, and
      // what the decision consumed was given back. Wait for the read model holding nothing (no
      // use or budget spent, so other verifications of the mandate are not refused meanwhile),
      // then decide afresh, on the index and the clock as they are then
      details.awaitReadable(caller.tenantId(), e.mandateId());
      return decideAndRecord(caller, request, withProof,
          index.candidates(caller.tenantId(), request.delegateSubjectId()), clock.instant(), authority);
    }
  }

  /**
   * Waits up to {@code deny-index-wait} for this node's index to hold every DENY mandate of the
   * delegate that {@code deny_mandate} lists now.
   *
   * @throws ApiException 503 if it does not
   */
  private void awaitDenyMandatesIndexed(String tenantId, String delegateSubjectId) {
    awaitIndexed(
        freshness.denyMandates(tenantId, delegateSubjectId),
        denyIndexWait,
        "DENY mandate(s)",
        "a DENY mandate of this delegate is not yet in this node's verification index; retry");
  }

  /**
   * Waits up to {@code mandate-registry.verification.consistency-wait} for this node's index to
   * hold the mandate of a consistency token at its version or later (see {@link ConsistencyTokens}),
   * so that what is decided next is at least as fresh as the write that issued it; nothing without
   * a token.
   *
   * @throws ApiException 503 while the index is still being built after a start, or if it does not
   *     reach the token in time
   */
  public void awaitAtLeast(String tenantId, ConsistencyTokens.Token token) {
    requireIndexReady();
    if (token != null
        && index.find(token.mandateId()) == null
        && freshness.status(tenantId, token.mandateId()).map(MandateStatus::isFinal).orElse(false)) {
      // ended: the index forgets an ended mandate after ended-retention (at once with 0), and one
      // it has not indexed yet decides the same (an ended mandate grants and denies nothing), so
      // there is nothing to wait for
      return;
    }
    if (token != null) {
      awaitIndexed(
          Map.of(token.mandateId(), token.version()),
          consistencyWait,
          "the consistency token's mandate",
          "this node's verification index has not yet reached the state of the "
              + ConsistencyTokens.HEADER + "; retry");
    }
  }

  /** Waits up to {@code wait} for the index to hold each mandate at its version or later; else 503. */
  private void awaitIndexed(Map<String, Long> versions, Duration wait, String what, String message) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!versions.entrySet().stream().allMatch(d -> indexedAtLeast(d.getKey(), d.getValue()))) {
      if (System.nanoTime() - deadline > 0 || Thread.currentThread().isInterrupted()) {
        log.warn("the verification index did not learn {} {} within {}; answered 503",
            what,
            versions.entrySet().stream().filter(d -> !indexedAtLeast(d.getKey(), d.getValue()))
                .map(d -> d.getKey() + " v" + d.getValue()).toList(),
            wait);
        throw new ApiException(503, "SERVICE_UNAVAILABLE", message, List.of());
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  /** Whether this node's index holds {@code mandateId} at {@code version} or later. */
  private boolean indexedAtLeast(String mandateId, long version) {
    MandateSnapshot indexed = index.find(mandateId);
    return indexed != null && indexed.version() >= version;
  }

  /**
   * Decides and records; null if the recorder refused an ALLOW (its mandate, whose status check
   * {@code authority} deferred to the recorder, is no longer ACTIVE, or the delegate has a DENY
   * mandate the decision did not see); then nothing was recorded. A decision that ends in an exception gives back the rate-limit uses and budget it
   * consumed, unless its events may have been stored after all.
   */
  private Outcome decideAndRecord(
      Caller caller,
      VerificationRequest request,
      boolean withProof,
      List<MandateSnapshot> candidates,
      Instant now,
      MandateAuthority authority) {
    Consumptions consumed = new Consumptions(usage);
    try {
      Decision decision = engine.decide(candidates, request, now, consumed, authority);
      return record(caller, request, withProof, now, authority, decision, consumed, candidates);
    } catch (RuntimeException e) {
      consumed.giveBack();
      throw e;
    }
  }

  /**
   * Issues the proof, if asked for, and records the decision's events; null if the recorder refused
   * a deferred status check. Throws before anything is stored, or when storing failed; whoever
   * catches a throw gives back what the decision consumed.
   */
  private Outcome record(
      Caller caller,
      VerificationRequest request,
      boolean withProof,
      Instant now,
      MandateAuthority authority,
      Decision decision,
      Consumptions consumed,
      List<MandateSnapshot> candidates) {
    ProofOfMandateIssuer.Proof proof = null;
    Map<String, Object> recordedContext = recordedContext(request);
    MetaData metaData = metaData(caller);
    List<EventMessage<?>> events = new ArrayList<>();
    EventMessage<?> main;
    Escalation escalation = null;
    if (decision.isAllowed()) {
      GenericEventMessage<VerificationAllowedEvent> allowed =
          new GenericEventMessage<>(
              new VerificationAllowedEvent(
                  caller.tenantId(), decision.mandateId(), request.delegateSubjectId(),
                  request.action(), request.resource(), recordedContext,
                  decision.constraintsRemaining(), withProof, now),
              metaData);
      main = allowed;
      if (withProof) {
        proof = issueProof(caller, request, decision, eventId(allowed), now);
      }
      events.add(main);
    } else {
      main =
          new GenericEventMessage<>(
              new VerificationDeniedEvent(
                  caller.tenantId(), decision.mandateId(), request.delegateSubjectId(),
                  request.action(), request.resource(), decision.reasonCodes(), recordedContext, now),
              metaData);
      events.add(main);
      if (decision.escalationTriggered()) {
        RequestContext context = RequestContext.parse(request.context());
        Money threshold = escalationThreshold(decision.mandateId(), candidates);
        GenericEventMessage<EscalationTriggeredEvent> triggered =
            new GenericEventMessage<>(
                new EscalationTriggeredEvent(
                    caller.tenantId(), decision.mandateId(), request.delegateSubjectId(),
                    request.action(), request.resource(), context.amount(), context.currency(),
                    threshold == null ? null : threshold.amount(),
                    eventId(main), now),
                metaData);
        events.add(triggered);
        escalation = new Escalation(eventId(triggered), threshold);
      }
    }
    try {
      if (decision.isAllowed()) {
        DecisionRecorder.ActiveCheck check =
            authority instanceof DeferredAuthority deferred && deferred.deferred(decision.mandateId())
                ? new DecisionRecorder.ActiveCheck(caller.tenantId(), decision.mandateId())
                : null;
        Map<String, Long> seen = new HashMap<>();
        candidates.forEach(c -> seen.put(c.mandateId(), c.version()));
        boolean stored = recorder.record(events, check,
            new DecisionRecorder.DenyCheck(caller.tenantId(), request.delegateSubjectId(), seen));
        if (!stored) {
          consumed.giveBack();
          return null;
        }
      } else {
        recorder.record(events);
      }
    } catch (DecisionNotRecordedException e) {
      if (!e.certainlyNotStored()) {
        // it may yet be stored: what it consumed stays consumed (the verification fails closed)
        consumed.forget();
      }
      throw new ApiException(503, "SERVICE_UNAVAILABLE",
          "the decision could not be recorded in the audit trail; retry", List.of());
    }
    return new Outcome(decision, eventId(main), proof, escalation);
  }

  /**
   * The usage counter as one decision sees it: remembers each consumption, so that a decision that
   * is certainly not recorded (its proof could not be signed, its events were not stored) gives
   * back the uses and amounts it took. One that may have been recorded keeps them ({@link #forget}).
   */
  private static final class Consumptions implements UsageCounter {
    private final UsageCounter counter;
    private final List<Runnable> releases = new ArrayList<>(1);

    Consumptions(UsageCounter counter) {
      this.counter = counter;
    }

    @Override
    public Consumption tryConsume(String mandateId, RateWindow rate, BudgetWindow budget) {
      Consumption consumption = counter.tryConsume(mandateId, rate, budget);
      if (consumption.consumed()) {
        releases.add(() -> counter.release(mandateId, rate, budget));
      }
      return consumption;
    }

    @Override
    public void release(String mandateId, RateWindow rate, BudgetWindow budget) {
      counter.release(mandateId, rate, budget);
    }

    /** Gives back everything consumed so far, once; a failure leaves it consumed (closed). */
    void giveBack() {
      for (Runnable release : releases) {
        try {
          release.run();
        } catch (RuntimeException e) {
          log.warn("could not give back a consumption of a decision that was not recorded: {}", e.toString());
        }
      }
      releases.clear();
    }

    /** The consumptions stand: nothing will be given back. */
    void forget() {
      releases.clear();
    }
  }

  /**
   * The authority for the first attempt of a verification. For a mandate with a rate limit or a
   * budget it reads the status at once (nothing may be consumed on a mandate that is no longer
   * active). For any other it answers "unknown" (the index's status stands for now) and remembers
   * the mandate: an ALLOW on it is then recorded only if the recorder's transaction confirms the
   * status, which costs one query per group commit instead of one per request.
   */
  private static final class DeferredAuthority implements MandateAuthority {
    private final FreshnessGuard now;
    private final List<String> deferred = new ArrayList<>(1);

    DeferredAuthority(FreshnessGuard now) {
      this.now = now;
    }

    @Override
    public Optional<MandateStatus> statusOf(MandateSnapshot mandate) {
      if (mandate.constraints().rateLimit().isPresent() || mandate.constraints().budget().isPresent()) {
        return now.statusOf(mandate);
      }
      deferred.add(mandate.mandateId());
      return Optional.empty();
    }

    boolean deferred(String mandateId) {
      return deferred.contains(mandateId);
    }
  }

  private ProofOfMandateIssuer.Proof issueProof(
      Caller caller, VerificationRequest request, Decision decision, String eventId, Instant now) {
    ProofOfMandateIssuer issuer = proofs.getIfAvailable();
    if (issuer == null) {
      throw new ApiException(503, "SERVICE_UNAVAILABLE", "Proof-of-Mandate is not configured", List.of());
    }
    try {
      MandateDetails.Granted granted = details.granted(caller.tenantId(), decision.mandateId());
      return issuer.issue(
          new ProofOfMandateIssuer.Claims(
              caller.tenantId(), decision.mandateId(), eventId, request.delegateSubjectId(),
              request.action(), request.resource(), granted.principal(), granted.constraints(),
              decision.constraintsRemaining(), now));
    } catch (ProofOfMandateIssuer.ProofUnavailableException e) {
      throw new ApiException(503, "SERVICE_UNAVAILABLE",
          "the Proof-of-Mandate could not be signed; retry", List.of());
    }
  }

  /** The threshold of the mandate the decision escalated on, as the decision saw it. */
  private static Money escalationThreshold(String mandateId, List<MandateSnapshot> candidates) {
    for (MandateSnapshot mandate : candidates) {
      if (mandate.mandateId().equals(mandateId)) {
        return mandate.constraints().escalationThreshold().orElse(null);
      }
    }
    return null;
  }

  /** The event id the audit ledger will give {@code message}. */
  static String eventId(EventMessage<?> message) {
    return Ids.eventId(message.getIdentifier(), message.getTimestamp());
  }

  /** What of the request context goes into the audit trail: never an MFA proof itself. */
  private static Map<String, Object> recordedContext(VerificationRequest request) {
    Map<String, Object> recorded = new LinkedHashMap<>();
    Object amount = request.context().get("amount");
    if (amount != null) {
      recorded.put("amount", amount);
    }
    Object currency = request.context().get("currency");
    if (currency != null) {
      recorded.put("currency", currency);
    }
    if (request.context().get("mfa") instanceof Map<?, ?> mfa && mfa.get("method") != null) {
      recorded.put("mfa_method", String.valueOf(mfa.get("method")));
    }
    return recorded;
  }

  private static MetaData metaData(Caller caller) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put(EventMetadata.TENANT_ID, caller.tenantId());
    meta.put(EventMetadata.ACTOR_TYPE, caller.actorType());
    meta.put(EventMetadata.ACTOR_ID, caller.actorId());
    String correlation = MDC.get(EventMetadata.CORRELATION_ID);
    if (correlation != null) {
      meta.put(EventMetadata.CORRELATION_ID, correlation);
    }
    return MetaData.from(meta);
  }

  /**
   * 503 until the index processor has caught up with the topic once after the start, and (where
   * the application says) the topic holds every change stored before the start and the index has
   * read it ({@link IndexBackfill}).
   */
  private void requireIndexReady() {
    if (indexReady) {
      return;
    }
    EventProcessingConfiguration config = processing.getIfAvailable();
    boolean caughtUp =
        config != null
            && config
                .eventProcessor(VerificationConfiguration.INDEX_PROCESSOR, TrackingEventProcessor.class)
                .map(p -> !p.processingStatus().isEmpty()
                    && p.processingStatus().values().stream().allMatch(s -> s.isCaughtUp()))
                .orElse(false);
    IndexBackfill gate = backfill.getIfAvailable();
    if (caughtUp && gate != null && !gate.indexHasReadAllChanges()) {
      throw new ApiException(503, "SERVICE_UNAVAILABLE",
          "the verification index is waiting for changes stored before the start to be published;"
              + " retry shortly", List.of());
    }
    if (!caughtUp) {
      throw new ApiException(503, "SERVICE_UNAVAILABLE",
          "the verification index is still being built after a start; retry shortly", List.of());
    }
    indexReady = true;
  }
}

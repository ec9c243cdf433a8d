package com.mandateregistry.query.verification.index;

import com.mandateregistry.api.mandate.MandateApprovedEvent;
import com.mandateregistry.api.mandate.MandateCreatedEvent;
import com.mandateregistry.api.mandate.MandateExpiredEvent;
import com.mandateregistry.api.mandate.MandateReactivatedEvent;
import com.mandateregistry.api.mandate.MandateRevokedEvent;
import com.mandateregistry.api.mandate.MandateStatus;
import com.mandateregistry.api.mandate.MandateSuspendedEvent;
import com.mandateregistry.query.verification.MandateSnapshot;
import java.time.Clock;
import java.time.Instant;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Builds the in-memory {@link VerificationIndex} from the Kafka topic. Its processor ({@value
 * #PROCESSING_GROUP}) keeps its token in memory, so every start, on every node, reads the topic
 * from the beginning and rebuilds the whole index; idempotent by aggregate version. A revoked or
 * expired mandate is kept for the index's retention after it ended; each event handled first
 * forgets those whose retention has passed.
 */
@Component
@ProcessingGroup(VerificationIndexProjection.PROCESSING_GROUP)
class VerificationIndexProjection {

  static final String PROCESSING_GROUP = "verification-index";

  private static final Logger log = LoggerFactory.getLogger(VerificationIndexProjection.class);

  private final VerificationIndex index;
  private final Clock clock;

  VerificationIndexProjection(VerificationIndex index, Clock clock) {
    this.index = index;
    this.clock = clock;
  }

  @EventHandler
  void on(MandateCreatedEvent event, @SequenceNumber Long version) {
    forgetEnded();
    MandateSnapshot snapshot;
    try {
      snapshot =
          MandateSnapshot.of(
              event.mandateId(),
              event.tenantId(),
              version,
              MandateStatus.initialFor(event.constraints()),
              event.delegate().subjectId(),
              event.scope().effect(),
              event.scope().actions(),
              event.scope().resources(),
              event.constraints(),
              event.createdAt(),
              event.expiresAt());
    } catch (IllegalArgumentException e) {
      // only mandates stored before scope and constraints were validated at creation can get here;
      // such a mandate grants nothing (verifications find no mandate) rather than something unclear
      log.warn("mandate {} is not indexed for verification: {}", event.mandateId(), e.getMessage());
      return;
    }
    index.put(snapshot);
  }

  @EventHandler
  void on(MandateApprovedEvent event, @SequenceNumber Long version) {
    forgetEnded();
    index.changeStatus(event.mandateId(), MandateStatus.ACTIVE, version);
  }

  @EventHandler
  void on(MandateSuspendedEvent event, @SequenceNumber Long version) {
    forgetEnded();
    index.changeStatus(event.mandateId(), MandateStatus.SUSPENDED, version);
  }

  @EventHandler
  void on(MandateReactivatedEvent event, @SequenceNumber Long version) {
    forgetEnded();
    index.changeStatus(event.mandateId(), MandateStatus.ACTIVE, version);
  }

  @EventHandler
  void on(MandateRevokedEvent event, @SequenceNumber Long version) {
    Instant now = forgetEnded();
    index.end(event.mandateId(), MandateStatus.REVOKED, version, event.revokedAt(), now);
  }

  @EventHandler
  void on(MandateExpiredEvent event, @SequenceNumber Long version) {
    Instant now = forgetEnded();
    index.end(event.mandateId(), MandateStatus.EXPIRED, version, event.expiredAt(), now);
  }

  /** Forgets the ended mandates whose retention has passed, first thing for every event; now. */
  private Instant forgetEnded() {
    Instant now = clock.instant();
    index.forgetEnded(now);
    return now;
  }

  @ResetHandler
  void reset() {
    index.clear();
  }
}

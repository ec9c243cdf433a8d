package com.mandateregistry.query.verification.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.mandateregistry.api.mandate.Effect;
import com.mandateregistry.api.mandate.MandateStatus;
import com.mandateregistry.query.verification.MandateSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The index forgets an ended mandate when it handles its next mandate event after the retention
 * has passed, whatever was queued before it: events do not come in the order their mandates ended
 * (a rebuild reads the changes topic's partitions one after another). Kept in arrival order, an
 * old revocation queued behind a recent one was kept up to a whole retention longer.
 */
class VerificationIndexForgetOrderTest {

  private static final Instant NOW = Instant.parse("2026-12-07T00:00:00Z");

  private static MandateSnapshot mandate(String id, String tenant) {
    return MandateSnapshot.of(
        id, tenant, 0, MandateStatus.ACTIVE, "monco:agent:a1", Effect.ALLOW,
        List.of("construction.validation.*"), List.of("monco:project:p1/**"), Map.of(),
        NOW.minus(Duration.ofDays(60)), null);
  }

  @Test
  void aMandateWhoseRetentionHasPassed_isForgottenAtTheNextEvent_whateverWasQueuedBeforeIt() {
    VerificationIndex index = new VerificationIndex(Duration.ofDays(30));
    index.put(mandate("mdt_new", "tnt_a"));
    index.put(mandate("mdt_old", "tnt_b"));
    // a rebuild at NOW: tenant A's partition first (revoked yesterday), then tenant B's (29 days ago)
    index.end("mdt_new", MandateStatus.REVOKED, 1, NOW.minus(Duration.ofDays(1)), NOW);
    index.end("mdt_old", MandateStatus.REVOKED, 1, NOW.minus(Duration.ofDays(29)), NOW);

    // two days later the index handles a mandate event: mdt_old ended 31 days ago
    index.forgetEnded(NOW.plus(Duration.ofDays(2)));
    assertThat(index.find("mdt_old")).as("mdt_old, revoked 31 days ago with a 30-day retention").isNull();
    assertThat(index.find("mdt_new")).as("mdt_new, revoked 3 days ago").isNotNull();
    assertThat(index.endedKept()).isEqualTo(1);

    // a redelivered revocation is not queued again
    index.end("mdt_new", MandateStatus.REVOKED, 1, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(2)));
    assertThat(index.endedKept()).isEqualTo(1);
  }
}

package com.mandateregistry.query.verification.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mandateregistry.api.mandate.Effect;
import com.mandateregistry.api.mandate.MandateStatus;
import com.mandateregistry.query.verification.MandateSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerificationIndexTest {

  private static final String TENANT = "tnt_01JN8GN2HRWRK6EFBRPTHFVRGV";
  private static final String DELEGATE = "monco:agent:a1";
  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  private static final Duration RETENTION = Duration.ofDays(30);

  private static MandateSnapshot mandate(String id, String delegate, long version) {
    return MandateSnapshot.of(
        id, TENANT, version, MandateStatus.ACTIVE, delegate, Effect.ALLOW,
        List.of("construction.validation.*"), List.of("monco:project:p1/**"), Map.of(), T0, null);
  }

  private final VerificationIndex index = new VerificationIndex(RETENTION);

  private List<String> ids(String delegate) {
    return index.candidates(TENANT, delegate).stream().map(MandateSnapshot::mandateId).toList();
  }

  @Test
  void aChange_appliesOnlyWhenNewer() {
    index.put(mandate("mdt_a", DELEGATE, 0));
    index.changeStatus("mdt_a", MandateStatus.SUSPENDED, 1);
    index.changeStatus("mdt_a", MandateStatus.ACTIVE, 1); // a redelivery of another change at 1
    index.put(mandate("mdt_a", DELEGATE, 0)); // the creation, redelivered
    assertThat(index.find("mdt_a").status()).isEqualTo(MandateStatus.SUSPENDED);
    assertThat(index.find("mdt_a").version()).isEqualTo(1);
  }

  @Test
  void anEndedMandate_isKeptForTheRetention_sayingWhy_thenForgotten_andOnlyIt() {
    index.put(mandate("mdt_a", DELEGATE, 0));
    index.put(mandate("mdt_b", DELEGATE, 0));
    index.put(mandate("mdt_c", "monco:agent:other", 0));
    Instant revokedAt = T0.plus(Duration.ofHours(1));
    index.end("mdt_a", MandateStatus.REVOKED, 1, revokedAt, revokedAt.plusMillis(5));
    index.end("mdt_c", MandateStatus.EXPIRED, 1, revokedAt.plusSeconds(1), revokedAt.plusSeconds(1));

    assertThat(index.find("mdt_a").status()).isEqualTo(MandateStatus.REVOKED);
    assertThat(ids(DELEGATE)).containsExactlyInAnyOrder("mdt_a", "mdt_b");
    assertThat(index.endedKept()).isEqualTo(2);

    assertThat(index.forgetEnded(revokedAt.plus(RETENTION).minusMillis(1))).as("a millisecond early").isZero();
    assertThat(index.size()).isEqualTo(3);

    assertThat(index.forgetEnded(revokedAt.plus(RETENTION))).isEqualTo(1);
    assertThat(index.find("mdt_a")).isNull();
    assertThat(ids(DELEGATE)).containsExactly("mdt_b");
    assertThat(index.find("mdt_c")).as("ended a second later: still kept").isNotNull();
    assertThat(index.size()).isEqualTo(2);

    assertThat(index.forgetEnded(revokedAt.plus(RETENTION).plusSeconds(1))).isEqualTo(1);
    assertThat(index.candidates(TENANT, "monco:agent:other")).as("the delegate's slot is gone").isEmpty();
    assertThat(index.size()).isEqualTo(1);
    assertThat(index.endedKept()).isZero();
  }

  @Test
  void aMandateThatEndedLongerThanTheRetentionAgo_isForgottenAtOnce_asARebuildReadsIt() {
    index.put(mandate("mdt_old", DELEGATE, 0));
    index.put(mandate("mdt_new", DELEGATE, 0));
    Instant now = T0.plus(Duration.ofDays(90));
    index.end("mdt_old", MandateStatus.EXPIRED, 3, T0.plus(Duration.ofDays(10)), now);
    index.end("mdt_new", MandateStatus.REVOKED, 1, now.minus(Duration.ofDays(29)), now);

    assertThat(index.find("mdt_old")).isNull();
    assertThat(index.find("mdt_new").status()).isEqualTo(MandateStatus.REVOKED);
    assertThat(index.endedKept()).isEqualTo(1);
  }

  @Test
  void aRedeliveredEnd_ofAForgottenMandate_changesNothing_andAZeroRetentionForgetsAtOnce() {
    VerificationIndex immediate = new VerificationIndex(Duration.ZERO);
    immediate.put(mandate("mdt_a", DELEGATE, 0));
    immediate.end("mdt_a", MandateStatus.REVOKED, 1, T0, T0);
    assertThat(immediate.find("mdt_a")).isNull();
    immediate.end("mdt_a", MandateStatus.REVOKED, 1, T0, T0);
    assertThat(immediate.size()).isZero();
    assertThat(immediate.endedKept()).isZero();
  }

  @Test
  void onlyFinalStatusesEnd_andANegativeRetentionIsRefused() {
    index.put(mandate("mdt_a", DELEGATE, 0));
    assertThatThrownBy(() -> index.end("mdt_a", MandateStatus.SUSPENDED, 1, T0, T0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SUSPENDED");
    assertThatThrownBy(() -> new VerificationIndex(Duration.ofSeconds(-1)))
        .hasMessageContaining("mandate-registry.verification.ended-retention must not be negative");
  }

  @Test
  void clear_forgetsTheEndedQueueToo() {
    index.put(mandate("mdt_a", DELEGATE, 0));
    index.end("mdt_a", MandateStatus.REVOKED, 1, T0, T0);
    index.clear();
    assertThat(index.endedKept()).isZero();
    assertThat(index.size()).isZero();
  }
}

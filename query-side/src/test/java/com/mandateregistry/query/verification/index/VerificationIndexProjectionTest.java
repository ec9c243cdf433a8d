package com.mandateregistry.query.verification.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.mandateregistry.api.mandate.Effect;
import com.mandateregistry.api.mandate.MandateCreatedEvent;
import com.mandateregistry.api.mandate.MandateExpiredEvent;
import com.mandateregistry.api.mandate.MandateRevokedEvent;
import com.mandateregistry.api.mandate.MandateStatus;
import com.mandateregistry.api.mandate.Scope;
import com.mandateregistry.api.mandate.Subject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A mandate stored before one of today's rules existed, and failing it, is not indexed: it grants
 * nothing, rather than something the rules no longer describe; the mandates beside it are indexed
 * as usual. A revoked or expired mandate is kept for the retention after it ended, and forgotten
 * by the first event handled after that; one that ended longer ago is forgotten as it is read.
 */
class VerificationIndexProjectionTest {

  private static final String TENANT = "tnt_01JN8GN2HRWRK6EFBRPTHFVRGV";
  private static final String DELEGATE = "monco:agent:validate-agent-v2";

  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

  private Instant now = NOW;
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
          return now;
        }
      };
  private final VerificationIndex index = new VerificationIndex(Duration.ofDays(30));
  private final VerificationIndexProjection projection = new VerificationIndexProjection(index, clock);

  private static MandateCreatedEvent created(String mandateId, List<String> resources, Map<String, Object> constraints) {
    return new MandateCreatedEvent(
        mandateId, TENANT,
        new Subject("natural_person", "monco:user:max"),
        new Subject("ai_agent", DELEGATE),
        new Scope(List.of("construction.validation.*"), resources, Effect.ALLOW),
        constraints, Map.of(), null, Instant.parse("2025-03-01T00:00:00Z"));
  }

  @Test
  void aValidMandate_isIndexed() {
    projection.on(created("mdt_valid", List.of("monco:project:p1/**"), Map.of("x_note", Map.of("a", 1))), 0L);

    assertThat(index.find("mdt_valid")).isNotNull();
    assertThat(index.candidates(TENANT, DELEGATE)).extracting(m -> m.mandateId()).containsExactly("mdt_valid");
  }

  @Test
  void constraintsTodaysRulesRefuse_leaveTheMandateOutOfTheIndex_andTheOthersIn() {
    // before 2026-12-07 an x_ value could hold a member named _sd, which SD-JWT reserves
    projection.on(created("mdt_legacy", List.of("monco:project:p1/**"), Map.of("x_a", Map.of("_sd", List.of()))), 0L);
    projection.on(created("mdt_unknown_key", List.of("monco:project:p1/**"), Map.of("max_amount_typo", 5)), 0L);
    projection.on(created("mdt_bad_scope", List.of("monco:project:p1/**/x"), Map.of()), 0L);
    projection.on(created("mdt_valid", List.of("monco:project:p1/**"), Map.of()), 0L);

    assertThat(index.find("mdt_legacy")).isNull();
    assertThat(index.find("mdt_unknown_key")).isNull();
    assertThat(index.find("mdt_bad_scope")).isNull();
    assertThat(index.candidates(TENANT, DELEGATE)).extracting(m -> m.mandateId()).containsExactly("mdt_valid");
  }

  @Test
  void endedMandates_areKeptForTheRetention_thenForgottenByTheNextEvent() {
    String resources = "monco:project:p1/**";
    projection.on(created("mdt_long_ago", List.of(resources), Map.of()), 0L);
    projection.on(created("mdt_revoked", List.of(resources), Map.of()), 0L);
    projection.on(created("mdt_expired", List.of(resources), Map.of()), 0L);
    projection.on(new MandateRevokedEvent("mdt_long_ago", TENANT, "old", NOW.minus(Duration.ofDays(31))), 1L);
    projection.on(new MandateRevokedEvent("mdt_revoked", TENANT, "now", NOW.minusSeconds(60)), 1L);
    projection.on(new MandateExpiredEvent("mdt_expired", TENANT, NOW), 1L);

    assertThat(index.find("mdt_long_ago")).as("ended 31 days ago: forgotten as it is read").isNull();
    assertThat(index.find("mdt_revoked").status()).isEqualTo(MandateStatus.REVOKED);
    assertThat(index.find("mdt_expired").status()).isEqualTo(MandateStatus.EXPIRED);

    now = NOW.plus(Duration.ofDays(30)).minusSeconds(30);
    projection.on(created("mdt_later", List.of(resources), Map.of()), 0L);
    assertThat(index.find("mdt_revoked")).as("its 30 days have passed").isNull();
    assertThat(index.find("mdt_expired")).as("30 s short of its 30 days").isNotNull();
    assertThat(index.candidates(TENANT, DELEGATE)).extracting(m -> m.mandateId())
        .containsExactlyInAnyOrder("mdt_expired", "mdt_later");
  }
}

package com.mandateregistry.query.verification;

import static com.mandateregistry.query.verification.MandateFixture.ACTION;
import static com.mandateregistry.query.verification.MandateFixture.CREATED;
import static com.mandateregistry.query.verification.MandateFixture.RESOURCE;
import static com.mandateregistry.query.verification.MandateFixture.activeMandate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mandateregistry.api.mandate.MandateStatus;
import com.mandateregistry.api.mandate.constraints.InvalidConstraintsException;
import com.mandateregistry.api.mandate.scope.InvalidScopeException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Building a snapshot from stored fields, and what "covers" and "in force" mean. */
class MandateSnapshotTest {

  @Test
  void of_compilesThePatterns() {
    MandateSnapshot snapshot = activeMandate().actions("a.b", "c.*").resources("r/**").build();
    assertThat(snapshot.actions()).extracting(p -> p.source()).containsExactly("a.b", "c.*");
    assertThat(snapshot.resources()).extracting(p -> p.source()).containsExactly("r/**");
  }

  @Test
  void of_withAnInvalidPattern_isRejected_namingItsIndex() {
    assertThatThrownBy(() -> activeMandate().resources("ok/**", "bad/**/x").build())
        .isInstanceOf(InvalidScopeException.class)
        .hasMessageStartingWith("scope.resources[1]");
  }

  @Test
  void of_withInvalidConstraints_isRejected() {
    assertThatThrownBy(() -> activeMandate().constraints("""
        {"max_uses": 3}""").build())
        .isInstanceOf(InvalidConstraintsException.class);
  }

  @Test
  void covers_needsBothAnActionAndAResourceMatch() {
    MandateSnapshot snapshot = activeMandate().build();
    assertThat(snapshot.covers(ACTION, RESOURCE)).isTrue();
    assertThat(snapshot.covers("construction.inspection.read", RESOURCE)).isFalse();
    assertThat(snapshot.covers(ACTION, "monco:project:proj_OTHER")).isFalse();
  }

  @Test
  void isInForce_onlyWhileActiveAndWithinValidity() {
    MandateSnapshot snapshot =
        activeMandate()
            .expiresAt(Instant.parse("2025-04-01T00:00:00Z"))
            .constraints("""
                {"not_before": "2025-03-02T00:00:00Z"}""")
            .build();
    assertThat(snapshot.isInForce(CREATED)).isFalse();
    assertThat(snapshot.isInForce(Instant.parse("2025-03-02T00:00:00Z"))).isTrue();
    assertThat(snapshot.isInForce(Instant.parse("2025-04-01T00:00:00Z"))).isFalse();
    assertThat(activeMandate().status(MandateStatus.SUSPENDED).build().isInForce(CREATED)).isFalse();
  }
}

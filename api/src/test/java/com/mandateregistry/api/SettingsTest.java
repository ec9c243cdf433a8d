package com.mandateregistry.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SettingsTest {

  @Test
  void atLeast_passesTheValueThrough_orNamesThePropertyAndTheRule() {
    assertThat(Settings.atLeast("mandate-registry.x", 1, 1)).isEqualTo(1);
    assertThat(Settings.atLeast("mandate-registry.x", 500, 1)).isEqualTo(500);
    assertThatThrownBy(() -> Settings.atLeast("mandate-registry.verification.max-batch", 0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("mandate-registry.verification.max-batch must be at least 1, got 0");
    assertThatThrownBy(() -> Settings.atLeast("mandate-registry.x", -1, 1)).hasMessageContaining("got -1");
  }

  @Test
  void positive_refusesZeroNegativeAndMissingDurations() {
    assertThat(Settings.positive("mandate-registry.y", Duration.ofMillis(1))).isEqualTo(Duration.ofMillis(1));
    assertThatThrownBy(() -> Settings.positive("mandate-registry.ledger.retry-initial-backoff", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("mandate-registry.ledger.retry-initial-backoff must be longer than zero, got PT0S");
    assertThatThrownBy(() -> Settings.positive("mandate-registry.y", Duration.ofSeconds(-1)))
        .hasMessageContaining("PT-1S");
    assertThatThrownBy(() -> Settings.positive("mandate-registry.y", null)).hasMessageContaining("got null");
  }

  @Test
  void notNegative_allowsZero_refusesNegativeAndMissingDurations() {
    assertThat(Settings.notNegative("mandate-registry.z", Duration.ZERO)).isEqualTo(Duration.ZERO);
    assertThat(Settings.notNegative("mandate-registry.z", Duration.ofMillis(5))).isEqualTo(Duration.ofMillis(5));
    assertThatThrownBy(() -> Settings.notNegative("mandate-registry.publisher.min-read-interval", Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("mandate-registry.publisher.min-read-interval must not be negative, got PT-0.001S");
    assertThatThrownBy(() -> Settings.notNegative("mandate-registry.z", null)).hasMessageContaining("got null");
  }
}

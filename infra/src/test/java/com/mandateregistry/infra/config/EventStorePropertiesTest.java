package com.mandateregistry.infra.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class EventStorePropertiesTest {

  private static final DatabaseProperties DATABASE = new DatabaseProperties(Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofSeconds(30));

  @Test
  void defaults_waitTenMinutesAnd250000Indexes_farBeyondAxonsOwn() {
    EventStoreProperties defaults =
        new Binder(new MapConfigurationPropertySource(Map.of()))
            .bindOrCreate("mandate-registry.event-store", Bindable.of(EventStoreProperties.class));
    assertThat(defaults.gapTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(defaults.maxGapOffset()).isEqualTo(250_000);
    assertThat(defaults.checkAgainst(DATABASE)).isTrue();
  }

  @Test
  void aGapTimeoutNotLongerThanTheIdleTransactionTimeout_isRefused_withTheReason() {
    assertThatThrownBy(() -> new EventStoreProperties(Duration.ofMinutes(1), 1_000_000).checkAgainst(DATABASE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gap-timeout (PT1M) must be longer than")
        .hasMessageContaining("idle-in-transaction-timeout (PT1M)")
        .hasMessageContaining("never be published");
    assertThat(new EventStoreProperties(Duration.ofSeconds(61), 1_000_000).checkAgainst(DATABASE)).isTrue();
  }

  @Test
  void withoutAnIdleTransactionTimeout_nothingBoundsAGap_whichTheCheckReports() {
    DatabaseProperties unbounded = new DatabaseProperties(Duration.ofSeconds(5), Duration.ZERO, Duration.ofMinutes(5), Duration.ofSeconds(30));
    assertThat(new EventStoreProperties(Duration.ofMinutes(10), 1_000_000).checkAgainst(unbounded)).isFalse();
  }

  @Test
  void outOfRangeValues_areRefusedByName() {
    assertThatThrownBy(() -> new EventStoreProperties(Duration.ZERO, 1_000_000))
        .hasMessage("mandate-registry.event-store.gap-timeout must be longer than zero, got PT0S");
    assertThatThrownBy(() -> new EventStoreProperties(Duration.ofDays(30), 1_000_000))
        .hasMessageStartingWith("mandate-registry.event-store.gap-timeout must be at most");
    assertThatThrownBy(() -> new EventStoreProperties(Duration.ofMinutes(10), 9_999))
        .hasMessage("mandate-registry.event-store.max-gap-offset must be at least 10000, got 9999");
    assertThatThrownBy(() -> new EventStoreProperties(Duration.ofMinutes(10), 10_000_001))
        .hasMessage("mandate-registry.event-store.max-gap-offset must be at most 10000000, got 10000001");
  }
}

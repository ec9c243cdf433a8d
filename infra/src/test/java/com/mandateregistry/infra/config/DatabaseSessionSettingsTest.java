package com.mandateregistry.infra.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class DatabaseSessionSettingsTest {

  private static DatabaseProperties bind(Map<String, String> values) {
    return new Binder(new MapConfigurationPropertySource(values))
        .bindOrCreate("mandate-registry.database", Bindable.of(DatabaseProperties.class));
  }

  @Test
  void defaults_areFiveSecondsForALock_aMinuteIdleInATransaction_fiveMinutesForAnAnswer_andThirtySecondsOfWork() {
    DatabaseProperties defaults = bind(Map.of());
    assertThat(defaults.lockTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(defaults.idleInTransactionTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(defaults.socketTimeoutSeconds()).isEqualTo(300);
    assertThat(defaults.statementTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(defaults.sessionOptions())
        .isEqualTo("-c lock_timeout=5000 -c idle_in_transaction_session_timeout=60000 -c statement_timeout=30000");
    assertThat(defaults.sessionStatements())
        .isEqualTo("SET lock_timeout = 5000; SET idle_in_transaction_session_timeout = 60000; SET statement_timeout = 30000;");
  }

  @Test
  void durations_areSentInMilliseconds_aFractionRoundsUp_andZeroIsOff() {
    DatabaseProperties set =
        bind(
            Map.of(
                "mandate-registry.database.lock-timeout", "1500us",
                "mandate-registry.database.idle-in-transaction-timeout", "0",
                "mandate-registry.database.statement-timeout", "0"));
    assertThat(set.sessionOptions())
        .isEqualTo("-c lock_timeout=2 -c idle_in_transaction_session_timeout=0 -c statement_timeout=0");
    assertThat(new DatabaseProperties(Duration.ZERO, Duration.ZERO, Duration.ofMillis(1500), Duration.ZERO).socketTimeoutSeconds())
        .as("whole seconds, rounded up").isEqualTo(2);
    assertThat(new DatabaseProperties(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO).socketTimeoutSeconds()).isZero();
    assertThat(new DatabaseProperties(Duration.ofNanos(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofSeconds(90)).sessionOptions())
        .isEqualTo("-c lock_timeout=1 -c idle_in_transaction_session_timeout=120000 -c statement_timeout=90000");
  }

  @Test
  void negativeOrTooLongDurations_areRefusedByName() {
    assertThatThrownBy(() -> new DatabaseProperties(Duration.ofSeconds(-1), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofSeconds(30)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("mandate-registry.database.lock-timeout must not be negative, got PT-1S");
    assertThatThrownBy(() -> new DatabaseProperties(Duration.ofSeconds(5), Duration.ofDays(30), Duration.ofMinutes(5), Duration.ofSeconds(30)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("mandate-registry.database.idle-in-transaction-timeout must be at most");
    assertThatThrownBy(() -> new DatabaseProperties(Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofSeconds(-1), Duration.ofSeconds(30)))
        .hasMessage("mandate-registry.database.socket-timeout must not be negative, got PT-1S");
    assertThatThrownBy(() -> new DatabaseProperties(Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMillis(-1)))
        .hasMessage("mandate-registry.database.statement-timeout must not be negative, got PT-0.001S");
    assertThatThrownBy(() -> new DatabaseProperties(Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofDays(30)))
        .hasMessageStartingWith("mandate-registry.database.statement-timeout must be at most");
    assertThat(new DatabaseProperties(Duration.ofSeconds(5), DatabaseProperties.MAX, Duration.ofMinutes(5), DatabaseProperties.MAX).sessionOptions())
        .endsWith("idle_in_transaction_session_timeout=" + Integer.MAX_VALUE + " -c statement_timeout=" + Integer.MAX_VALUE);
  }

  @Test
  void thePoolGetsTheOptions_andOptionsAlreadyGivenComeAfterThem() {
    DatabaseProperties settings = new DatabaseProperties(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(10));
    try (HikariDataSource bare = new HikariDataSource();
        HikariDataSource given = new HikariDataSource()) {
      DatabaseSessionSettings.apply(bare, settings);
      assertThat(bare.getDataSourceProperties().getProperty("options"))
          .isEqualTo("-c lock_timeout=2000 -c idle_in_transaction_session_timeout=30000 -c statement_timeout=10000");
      assertThat(bare.getDataSourceProperties().getProperty("socketTimeout")).isEqualTo("300");
      assertThat(bare.getDataSourceProperties().getProperty("tcpKeepAlive")).isEqualTo("true");

      given.addDataSourceProperty("options", " -c search_path=registry -c lock_timeout=9000 ");
      given.addDataSourceProperty("socketTimeout", "900");
      DatabaseSessionSettings.apply(given, settings);
      assertThat(given.getDataSourceProperties().getProperty("socketTimeout")).as("given: kept").isEqualTo("900");
      assertThat(given.getDataSourceProperties().getProperty("options"))
          .isEqualTo(
              "-c lock_timeout=2000 -c idle_in_transaction_session_timeout=30000 -c statement_timeout=10000"
                  + " -c search_path=registry -c lock_timeout=9000");
    }
  }

  @Test
  void otherBeans_passThroughUntouched() {
    Object other = new Object();
    assertThat(new DatabaseSessionSettings(null).postProcessBeforeInitialization(other, "x")).isSameAs(other);
  }
}

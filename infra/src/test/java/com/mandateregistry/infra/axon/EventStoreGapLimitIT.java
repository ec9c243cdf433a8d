package com.mandateregistry.infra.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.mandateregistry.infra.config.DatabaseProperties;
import com.mandateregistry.infra.config.EventStoreProperties;
import com.mandateregistry.infra.embedded.EmbeddedPostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A reader's token keeps a rolled-back global index as a gap for up to {@code max-gap-offset}
 * indexes, so it can hold far more gaps than Axon's default offset (10,000) allowed. Axon's read
 * named each gap as a parameter of an {@code IN} list, which the driver refuses past 65,535: after
 * a run of 70,000 indexes taken and rolled back (140 failed group commits of 500 decisions, or a
 * sequence moved on) followed by new events, every later read failed, for good. {@link
 * GapStatements} sends them as one array.
 */
class EventStoreGapLimitIT {

  @TempDir static Path dir;
  static EmbeddedPostgresServer pg;
  static PGSimpleDataSource dataSource;
  static DataSourceTransactionManager springTx;

  record Payload(String value) {}

  @BeforeAll
  static void start() throws Exception {
    pg = new EmbeddedPostgresServer(dir, 0);
    dataSource = new PGSimpleDataSource();
    dataSource.setUrl(pg.jdbcUrl());
    dataSource.setUser(pg.username());
    dataSource.setPassword(pg.password());
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").target("1").load().migrate();
    springTx = new DataSourceTransactionManager(dataSource);
  }

  @AfterAll
  static void stop() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  @BeforeEach
  void empty() {
    new JdbcTemplate(dataSource).update("DELETE FROM domain_event_entry");
    new JdbcTemplate(dataSource).execute("ALTER SEQUENCE domain_event_entry_global_index_seq RESTART");
  }

  static EventStorageEngine engine(EventStoreProperties gaps) {
    ConnectionProvider connections = new SpringDataSourceConnectionProvider(dataSource);
    org.axonframework.config.Configuration configuration = mock(org.axonframework.config.Configuration.class);
    when(configuration.upcasterChain()).thenReturn(new org.axonframework.serialization.upcasting.event.EventUpcasterChain());
    when(configuration.snapshotFilter()).thenReturn(org.axonframework.eventsourcing.snapshotting.SnapshotFilter.allowAll());
    AxonConfig axon = new AxonConfig();
    return axon.eventStorageEngine(
        axon.serializer(), axon.persistenceExceptionResolver(), axon.eventSerializer(), configuration, connections,
        new SpringTransactionManager(springTx), axon.eventSchema(), gaps,
        new DatabaseProperties(Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofMinutes(5)));
  }

  private static int aggregates;

  private static EventMessage<?> event(String value) {
    return new GenericDomainEventMessage<>(
        "Probe", "agg-" + (aggregates++), 0, new Payload(value), MetaData.emptyInstance(),
        java.util.UUID.randomUUID().toString(), Instant.now());
  }

  private static List<TrackedEventMessage<?>> read(EventStorageEngine engine, TrackingToken from) {
    try (var stream = engine.readEvents(from, false)) {
      return stream.collect(Collectors.toList());
    }
  }

  private static List<String> values(List<TrackedEventMessage<?>> events) {
    return events.stream().map(e -> ((Payload) e.getPayload()).value()).collect(Collectors.toList());
  }

  private void runOfRolledBackIndexesIsReadPast(EventStorageEngine engine) {
    new TransactionTemplate(springTx).executeWithoutResult(s -> engine.appendEvents(event("before")));
    List<TrackedEventMessage<?>> first = read(engine, null);
    TrackingToken token = first.get(first.size() - 1).trackingToken();

    // 70,000 global indexes taken by inserts whose transactions rolled back
    for (int batch = 0; batch < 140; batch++) {
      List<EventMessage<?>> failed = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        failed.add(event("rolled-back"));
      }
      new TransactionTemplate(springTx).executeWithoutResult(s -> {
        engine.appendEvents(failed);
        s.setRollbackOnly();
      });
    }

    new TransactionTemplate(springTx).executeWithoutResult(s -> engine.appendEvents(event("after-1")));
    List<TrackedEventMessage<?>> second = read(engine, token);
    assertThat(values(second)).containsExactly("after-1");
    token = second.get(0).trackingToken();
    assertThat(((GapAwareTrackingToken) token).getGaps()).as("every rolled-back index is still waited for").hasSize(70_000);

    new TransactionTemplate(springTx).executeWithoutResult(s -> engine.appendEvents(event("after-2")));
    assertThat(values(read(engine, token))).as("the publisher's next read").containsExactly("after-2");
  }

  @Test
  void withTheServiceDefaults_aRunOf70000RolledBackIndexes_isReadPast() {
    runOfRolledBackIndexesIsReadPast(engine(new EventStoreProperties(Duration.ofMinutes(10), 250_000)));
  }
}

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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
 * The event store's readers wait for a global index taken by a transaction still in flight
 * ({@link com.mandateregistry.infra.config.EventStoreProperties}), on embedded PostgreSQL with the
 * storage engine exactly as {@link AxonConfig} builds it with the default settings. With Axon's own
 * defaults (give a gap up 10,000 indexes or 60 s later) the first two cases below lost the
 * in-flight event for good: its transaction committed, its client had its answer, and no publisher
 * ever read it. The third is the price of waiting longer: many more gaps in a token.
 */
class EventStoreGapsIT {

  @TempDir static Path dir;
  static EmbeddedPostgresServer pg;
  static PGSimpleDataSource dataSource;
  static DataSourceTransactionManager springTx;
  static EventStorageEngine engine;

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
    ConnectionProvider connections = new SpringDataSourceConnectionProvider(dataSource);
    org.axonframework.config.Configuration configuration = mock(org.axonframework.config.Configuration.class);
    when(configuration.upcasterChain()).thenReturn(new org.axonframework.serialization.upcasting.event.EventUpcasterChain());
    when(configuration.snapshotFilter()).thenReturn(org.axonframework.eventsourcing.snapshotting.SnapshotFilter.allowAll());
    AxonConfig axon = new AxonConfig();
    engine =
        axon.eventStorageEngine(
            axon.serializer(),
            axon.persistenceExceptionResolver(),
            axon.eventSerializer(),
            configuration,
            connections,
            new SpringTransactionManager(springTx),
            axon.eventSchema(),
            new EventStoreProperties(Duration.ofMinutes(10), 250_000),
            new DatabaseProperties(Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofSeconds(30)));
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
    // each test's first read starts a token at the lowest index: none below it is a gap
    new JdbcTemplate(dataSource).execute("ALTER SEQUENCE domain_event_entry_global_index_seq RESTART");
  }

  private static int aggregates;

  private static EventMessage<?> event(String value, Instant timestamp) {
    return new GenericDomainEventMessage<>(
        "Probe", "agg-" + (aggregates++), 0, new Payload(value), MetaData.emptyInstance(),
        java.util.UUID.randomUUID().toString(), timestamp);
  }

  private static List<TrackedEventMessage<?>> read(TrackingToken from) {
    try (var stream = engine.readEvents(from, false)) {
      return stream.collect(Collectors.toList());
    }
  }

  private static List<String> values(List<TrackedEventMessage<?>> events) {
    return events.stream().map(e -> ((Payload) e.getPayload()).value()).collect(Collectors.toList());
  }

  /** Appends {@code slow} in a transaction that stays open until {@code release}; returns its commit. */
  private static Future<?> appendAndHold(EventMessage<?> slow, CountDownLatch appended, CountDownLatch release,
      ExecutorService pool) {
    return pool.submit(() -> new TransactionTemplate(springTx).executeWithoutResult(s -> {
      engine.appendEvents(slow); // global_index allocated here
      appended.countDown();
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }));
  }

  /**
   * Node A appends a decision batch and stalls before its commit (a GC pause, a slow network) for
   * as long as it takes the other nodes to take 10,001 more global indexes (2.5-3.5 s at the
   * measured 3,000-4,400 events/s). The publisher reads past it meanwhile; A then commits.
   */
  @Test
  void anEventCommittedAfter10000LaterIndexes_isStillRead() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    CountDownLatch appended = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<?> slow = appendAndHold(event("slow", Instant.now()), appended, release, pool);
    assertThat(appended.await(30, TimeUnit.SECONDS)).isTrue();

    List<EventMessage<?>> later = new ArrayList<>();
    for (int i = 0; i < 10_001; i++) {
      later.add(event("later-" + i, Instant.now()));
    }
    new TransactionTemplate(springTx).executeWithoutResult(s -> engine.appendEvents(later));

    List<TrackedEventMessage<?>> first = read(null); // the publisher keeps up with the head
    assertThat(first).hasSize(10_001);
    TrackingToken token = first.get(first.size() - 1).trackingToken();

    release.countDown();
    slow.get(30, TimeUnit.SECONDS); // committed: stored, and acknowledged to its client
    pool.shutdown();
    assertThat(new JdbcTemplate(dataSource).queryForObject("SELECT count(*) FROM domain_event_entry", Long.class))
        .isEqualTo(10_002L);

    List<TrackedEventMessage<?>> next = read(token);
    assertThat(values(next))
        .as("events read after the slow transaction committed, from the publisher's token %s", token)
        .contains("slow");
  }

  /**
   * Two nodes whose clocks differ by 61 s: a transaction of one node is in flight (its global
   * index taken) while the publisher reads an event that the other node, its clock 61 s behind,
   * stored above it; the in-flight transaction then commits.
   */
  @Test
  void aGapBelowAnEventStampedAMinuteAgo_isStillRead() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    CountDownLatch appended = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<?> inFlight = appendAndHold(event("in-flight", Instant.now()), appended, release, pool);
    assertThat(appended.await(30, TimeUnit.SECONDS)).isTrue();

    new TransactionTemplate(springTx)
        .executeWithoutResult(s -> engine.appendEvents(event("skewed", Instant.now().minusSeconds(61))));

    List<TrackedEventMessage<?>> first = read(null);
    assertThat(values(first)).containsExactly("skewed");
    TrackingToken token = first.get(0).trackingToken();

    release.countDown();
    inFlight.get(30, TimeUnit.SECONDS);
    pool.shutdown();

    assertThat(values(read(token)))
        .as("events read after the in-flight transaction committed, from the publisher's token %s", token)
        .contains("in-flight");
  }

  /**
   * A run of 70,000 global indexes taken and rolled back (140 failed group commits of 500
   * decisions, or a sequence moved on), then new events: the token keeps every one as a gap, more
   * than a statement can bind as parameters (65,535). Axon's read, one parameter per gap, failed on
   * every later fetch, for good; {@link GapStatements} sends them as one array.
   */
  @Test
  void aRunOf70000RolledBackIndexes_isWaitedFor_andReadPast() {
    new TransactionTemplate(springTx).executeWithoutResult(s -> engine.appendEvents(event("before", Instant.now())));
    List<TrackedEventMessage<?>> first = read(null);
    TrackingToken token = first.get(first.size() - 1).trackingToken();

    for (int batch = 0; batch < 140; batch++) {
      List<EventMessage<?>> failed = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        failed.add(event("rolled-back", Instant.now()));
      }
      new TransactionTemplate(springTx).executeWithoutResult(s -> {
        engine.appendEvents(failed);
        s.setRollbackOnly();
      });
    }

    new TransactionTemplate(springTx).executeWithoutResult(s -> engine.appendEvents(event("after-1", Instant.now())));
    List<TrackedEventMessage<?>> second = read(token);
    assertThat(values(second)).containsExactly("after-1");
    token = second.get(0).trackingToken();
    assertThat(((GapAwareTrackingToken) token).getGaps()).as("every rolled-back index is still waited for").hasSize(70_000);

    new TransactionTemplate(springTx).executeWithoutResult(s -> engine.appendEvents(event("after-2", Instant.now())));
    assertThat(values(read(token))).as("the publisher's next read").containsExactly("after-2");
  }
}

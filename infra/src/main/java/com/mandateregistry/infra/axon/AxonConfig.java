package com.mandateregistry.infra.axon;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.mandateregistry.api.Settings;
import com.mandateregistry.infra.config.DatabaseProperties;
import com.mandateregistry.infra.config.EventStoreProperties;
import java.time.Duration;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;

/**
 * Axon's storage format and processing defaults.
 *
 * <p>Axon gets its own ObjectMapper, so that no {@code spring.jackson.*} setting can change the
 * stored event format. Every event processor propagates handler errors, so a failing event is
 * retried instead of being logged and skipped.
 */
@Configuration(proxyBeanMethods = false)
class AxonConfig {

  private static final Logger log = LoggerFactory.getLogger(AxonConfig.class);

  /** The embedded event store's cache of recent events, shared by the streams that tail it. */
  static final int CACHED_EVENTS = 1_000;

  /**
   * The one JSON format of stored events, metadata, tokens and deadlines. Numbers with a fraction
   * are read back as {@code BigDecimal}: a granted amount limit such as 100000000000000000.5 must
   * reach the verification index and the read model as it was granted, not as the nearest double
   * (the audit ledger hashes numbers as doubles either way, ledger-format §2).
   */
  static ObjectMapper storageObjectMapper() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  }

  private static Serializer jackson() {
    return JacksonSerializer.builder().objectMapper(storageObjectMapper()).build();
  }

  @Bean
  @Primary
  Serializer serializer() {
    return jackson();
  }

  @Bean
  @Qualifier("eventSerializer")
  Serializer eventSerializer() {
    return jackson();
  }

  @Bean
  @Qualifier("messageSerializer")
  Serializer messageSerializer() {
    return jackson();
  }

  /**
   * What tells a duplicate-key failure of the event table (two nodes appending the same aggregate's
   * next event) from other failures: PostgreSQL's SQLSTATE 23505 ({@link DuplicateKeyResolver}).
   * Axon's {@code JdbcSQLErrorCodesResolver} never recognised it with this driver, so such a race
   * was a 500 instead of a 409.
   */
  @Bean
  PersistenceExceptionResolver persistenceExceptionResolver() {
    return new DuplicateKeyResolver();
  }

  /**
   * The JDBC storage engine, built as Axon's auto-configuration builds it, and for the same reason,
   * except for how long its readers wait for a missing global index ({@link EventStoreProperties}:
   * Axon's defaults could skip an event for good), and the two queries that name the gaps, which
   * must cope with many more of them ({@link GapStatements}).
   */
  @Bean
  EventStorageEngine eventStorageEngine(
      Serializer defaultSerializer,
      PersistenceExceptionResolver persistenceExceptionResolver,
      @Qualifier("eventSerializer") Serializer eventSerializer,
      org.axonframework.config.Configuration configuration,
      ConnectionProvider connectionProvider,
      TransactionManager transactionManager,
      EventSchema eventSchema,
      EventStoreProperties gaps,
      DatabaseProperties database) {
    if (!gaps.checkAgainst(database)) {
      log.warn(
          "mandate-registry.database.idle-in-transaction-timeout is 0: a transaction left open by a"
              + " stalled node for longer than mandate-registry.event-store.gap-timeout ({}) can commit"
              + " events that are then never published",
          gaps.gapTimeout());
    }
    return JdbcEventStorageEngine.builder()
        .gapTimeout(Math.toIntExact(gaps.gapTimeout().toMillis()))
        .maxGapOffset(gaps.maxGapOffset())
        .readEventDataWithGaps(GapStatements::readWithGaps)
        .cleanGaps(GapStatements::cleanGaps)
        .snapshotSerializer(defaultSerializer)
        .upcasterChain(configuration.upcasterChain())
        .persistenceExceptionResolver(persistenceExceptionResolver)
        .eventSerializer(eventSerializer)
        .snapshotFilter(configuration.snapshotFilter())
        .connectionProvider(connectionProvider)
        .transactionManager(transactionManager)
        .schema(eventSchema)
        .build();
  }

  /**
   * Axon's embedded event store, with the nodes its cache drops unlinked ({@link
   * UnlinkingEventStore}) and a cache of {@value #CACHED_EVENTS} recent events instead of 10,000:
   * only the two publishers tail the store, they follow it closely, and one that falls further
   * behind reads from the storage engine until it catches up. A smaller cache means fewer events
   * alive long enough to be copied by a young collection.
   */
  @Bean
  EmbeddedEventStore eventStore(
      EventStorageEngine storageEngine, org.axonframework.config.Configuration configuration) {
    return new UnlinkingEventStore(
        EmbeddedEventStore.builder()
            .storageEngine(storageEngine)
            .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
            .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
            .cachedEvents(CACHED_EVENTS));
  }

  /** The snake_case table and column names of V1__axon_event_store.sql. */
  @Bean
  EventSchema eventSchema() {
    return EventSchema.builder()
        .eventTable("domain_event_entry")
        .snapshotTable("snapshot_event_entry")
        .globalIndexColumn("global_index")
        .eventIdentifierColumn("event_identifier")
        .metaDataColumn("meta_data")
        .payloadColumn("payload")
        .payloadRevisionColumn("payload_revision")
        .payloadTypeColumn("payload_type")
        .timestampColumn("time_stamp")
        .aggregateIdentifierColumn("aggregate_identifier")
        .sequenceNumberColumn("sequence_number")
        .typeColumn("type")
        .build();
  }

  @Bean
  TokenSchema tokenSchema() {
    return TokenSchema.builder()
        .setTokenTable("token_entry")
        .setProcessorNameColumn("processor_name")
        .setSegmentColumn("segment")
        .setTokenColumn("token")
        .setTokenTypeColumn("token_type")
        .setTimestampColumn("timestamp")
        .setOwnerColumn("owner")
        .build();
  }

  /** Tracking tokens live in PostgreSQL, next to the events and read models they describe. */
  @Bean
  TokenStore tokenStore(ConnectionProvider connections, Serializer serializer, TokenSchema schema) {
    return JdbcTokenStore.builder()
        .connectionProvider(connections)
        .serializer(serializer)
        .schema(schema)
        .contentType(byte[].class)
        .claimTimeout(Duration.ofSeconds(10))
        .build();
  }

  @Bean
  CorrelationDataProvider eventMetadataProvider() {
    return new EventMetadataProvider();
  }

  @Bean
  ConfigurerModule propagateHandlerErrors() {
    return configurer ->
        configurer
            .eventProcessing()
            .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance());
  }

  /**
   * Axon's storage engine, as its auto-configuration builds it, with the tailing reads of the
   * embedded event store (the stream that feeds the Kafka publisher) at least {@code
   * mandate-registry.publisher.min-read-interval} apart ({@link PacedEventStorageEngine}).
   * Static, as a post-processor must be; reads the setting when the engine is created.
   */
  @Bean
  static BeanPostProcessor pacedEventStorageEngine(Environment environment) {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof EventStorageEngine engine) || bean instanceof PacedEventStorageEngine) {
          return bean;
        }
        Duration interval =
            environment.getProperty(
                "mandate-registry.publisher.min-read-interval", Duration.class, Duration.ofMillis(5));
        return new PacedEventStorageEngine(
            engine, Settings.notNegative("mandate-registry.publisher.min-read-interval", interval));
      }
    };
  }
}

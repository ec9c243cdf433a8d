package com.mandateregistry.infra.axon;

import com.mandateregistry.api.EventMetadata;
import com.mandateregistry.api.Settings;
import com.mandateregistry.api.TenantEvent;
import com.mandateregistry.api.verification.EscalationTriggeredEvent;
import com.mandateregistry.api.verification.VerificationAllowedEvent;
import com.mandateregistry.api.verification.VerificationDeniedEvent;
import com.mandateregistry.infra.config.RegistryProperties;
import java.time.Duration;
import java.util.List;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.extensions.kafka.KafkaProperties;
import org.axonframework.extensions.kafka.eventhandling.DefaultKafkaMessageConverter;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.axonframework.extensions.kafka.eventhandling.consumer.ConsumerFactory;
import org.axonframework.extensions.kafka.eventhandling.consumer.Fetcher;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaEventMessage;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.StreamableKafkaMessageSource;
import org.axonframework.extensions.kafka.eventhandling.producer.KafkaPublisher;
import org.axonframework.extensions.kafka.eventhandling.producer.ProducerFactory;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Publishing stored events to Kafka, without losing any, to two topics.
 *
 * <ul>
 *   <li>The event topic ({@code mandate-registry.topic}) holds every stored event; the audit
 *       ledger reads it. The changes topic ({@code mandate-registry.changes-topic}) holds every
 *       stored event except the verification decisions; the mandate read model and the
 *       verification index read it ({@link ChangesPublisher}).
 *   <li>Records are keyed by tenant id, so one tenant's events stay in order in one partition.
 *   <li>Each topic is fed by a tracking processor of its own on the event store, which takes up to
 *       {@code mandate-registry.publisher.batch-size} events per unit of work, sends them all, and
 *       waits for the broker's acknowledgement of every one before its token moves past them
 *       ({@link BatchConfirmingKafkaPublisher}); send failures propagate, so the batch is retried,
 *       never skipped.
 *   <li>Their initial token is the tail of the event store, so events stored before a publisher
 *       first started are published too.
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfig {

  private static final Logger log = LoggerFactory.getLogger(KafkaConfig.class);

  /** Keys each record by the tenant the event belongs to. */
  static final SequencingPolicy<EventMessage<?>> BY_TENANT =
      event -> {
        Object tenant = event.getMetaData().get(EventMetadata.TENANT_ID);
        if (tenant == null && event.getPayload() instanceof TenantEvent te) {
          tenant = te.tenantId();
        }
        return tenant;
      };

  @Bean
  KafkaMessageConverter<String, byte[]> kafkaMessageConverter(
      @Qualifier("eventSerializer") Serializer eventSerializer) {
    return new StrictKafkaMessageConverter(
        DefaultKafkaMessageConverter.builder()
            .serializer(eventSerializer)
            .sequencingPolicy(BY_TENANT)
            .build());
  }

  /** Replaces Axon's publisher, which waits for each event's acknowledgement in turn. */
  @Bean(destroyMethod = "shutDown")
  @ConditionalOnProperty(name = "axon.kafka.publisher.enabled", havingValue = "true", matchIfMissing = true)
  KafkaPublisher<String, byte[]> kafkaPublisher(
      ProducerFactory<?, ?> axonKafkaProducerFactory,
      KafkaMessageConverter<String, byte[]> kafkaMessageConverter,
      @Qualifier("eventSerializer") Serializer eventSerializer,
      RegistryProperties properties,
      @Value("${mandate-registry.publisher.ack-timeout:10s}") Duration ackTimeout) {
    return confirmingPublisher(
        axonKafkaProducerFactory, kafkaMessageConverter, eventSerializer, properties.topic(), ackTimeout);
  }

  /**
   * A {@link BatchConfirmingKafkaPublisher} to {@code topic} on the shared producer.
   *
   * <p>The shared producer is made here, while the context is built on one thread, and not by the
   * first send. Axon's factory makes it inside {@code AtomicReference.updateAndGet}, which runs
   * its function again when another thread got there first: the two publishers' processors,
   * starting together, made two producers, and the one not kept was never closed. It went on
   * reconnecting to the broker after the application had stopped.
   */
  @SuppressWarnings("unchecked")
  private static BatchConfirmingKafkaPublisher confirmingPublisher(
      ProducerFactory<?, ?> producers,
      KafkaMessageConverter<String, byte[]> converter,
      Serializer serializer,
      String topic,
      Duration ackTimeout) {
    producers.createProducer();
    return new BatchConfirmingKafkaPublisher(
        (ProducerFactory<String, byte[]>) producers,
        converter,
        serializer,
        topic,
        Settings.positive("mandate-registry.publisher.ack-timeout", ackTimeout));
  }

  @Bean
  ConfigurerModule kafkaPublisherProcessor(
      KafkaProperties kafka, @Value("${mandate-registry.publisher.batch-size:200}") int batchSize) {
    String group = kafka.getPublisher().getProcessingGroup();
    return configurer -> publisherProcessor(configurer.eventProcessing(), group, batchSize);
  }

  /** The verification decisions: on the event topic for the audit ledger, not on the changes topic. */
  static final List<Class<?>> DECISION_EVENTS =
      List.of(VerificationAllowedEvent.class, VerificationDeniedEvent.class, EscalationTriggeredEvent.class);

  /**
   * The {@value ChangesPublisher#PROCESSING_GROUP} processor: every event but the decisions, to the
   * changes topic. Switched off with Axon's publisher ({@code axon.kafka.publisher.enabled}).
   */
  @Bean
  @ConditionalOnProperty(name = "axon.kafka.publisher.enabled", havingValue = "true", matchIfMissing = true)
  ConfigurerModule changesPublisherProcessor(
      ProducerFactory<?, ?> axonKafkaProducerFactory,
      KafkaMessageConverter<String, byte[]> kafkaMessageConverter,
      @Qualifier("eventSerializer") Serializer eventSerializer,
      RegistryProperties properties,
      @Value("${mandate-registry.publisher.ack-timeout:10s}") Duration ackTimeout,
      @Value("${mandate-registry.publisher.batch-size:200}") int batchSize) {
    ChangesPublisher changes =
        new ChangesPublisher(
            confirmingPublisher(
                axonKafkaProducerFactory, kafkaMessageConverter, eventSerializer, properties.changesTopic(), ackTimeout),
            DECISION_EVENTS);
    String group = ChangesPublisher.PROCESSING_GROUP;
    return configurer -> {
      EventProcessingConfigurer processing = configurer.eventProcessing();
      processing
          .registerEventHandler(c -> changes)
          .assignHandlerTypesMatching(group, ChangesPublisher.class::equals)
          .registerTrackingEventProcessor(group);
      publisherProcessor(processing, group, batchSize);
    };
  }

  /** Single-threaded, batches of {@code batchSize}, from the tail of the store, errors propagated. */
  private static void publisherProcessor(EventProcessingConfigurer processing, String group, int batchSize) {
    int batch = Settings.atLeast("mandate-registry.publisher.batch-size", batchSize, 1);
    processing
        .registerTrackingEventProcessorConfiguration(
            group,
            c ->
                TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                    .andBatchSize(batch)
                    .andInitialTrackingToken(StreamableMessageSource::createTailToken))
        .registerListenerInvocationErrorHandler(group, c -> PropagatingErrorHandler.instance());
  }

  /**
   * The consumers' fetcher, in place of Axon's: the same {@link
   * org.axonframework.extensions.kafka.eventhandling.consumer.AsyncFetcher}, but closing the
   * context waits until its consumers have closed ({@link AwaitingFetcher}).
   */
  @Bean(destroyMethod = "shutdown")
  Fetcher<String, byte[], KafkaEventMessage> kafkaFetcher(KafkaProperties kafka) {
    return new AwaitingFetcher<>(kafka.getFetcher().getPollTimeout(), Duration.ofSeconds(10));
  }

  /**
   * The event topic as Axon's auto-configuration reads it, for the processor that handles every
   * event type (the audit ledger). Declared here because Axon's steps back once any other
   * streamable source exists.
   */
  @Bean
  StreamableKafkaMessageSource<String, byte[]> streamableKafkaMessageSource(
      RegistryProperties properties,
      KafkaProperties kafka,
      @Qualifier("eventSerializer") Serializer eventSerializer,
      ConsumerFactory<String, byte[]> consumers,
      Fetcher<String, byte[], KafkaEventMessage> fetcher,
      KafkaMessageConverter<String, byte[]> kafkaMessageConverter) {
    return streamableSource(properties.topic(), kafka, eventSerializer, consumers, fetcher, kafkaMessageConverter);
  }

  /**
   * The changes topic, for the processors that handle mandate events only (the mandate read model
   * and the verification index): no decision is on it.
   */
  @Bean
  StreamableKafkaMessageSource<String, byte[]> changesKafkaSource(
      RegistryProperties properties,
      KafkaProperties kafka,
      @Qualifier("eventSerializer") Serializer eventSerializer,
      ConsumerFactory<String, byte[]> consumers,
      Fetcher<String, byte[], KafkaEventMessage> fetcher,
      KafkaMessageConverter<String, byte[]> kafkaMessageConverter) {
    return streamableSource(
        properties.changesTopic(), kafka, eventSerializer, consumers, fetcher, kafkaMessageConverter);
  }

  private static StreamableKafkaMessageSource<String, byte[]> streamableSource(
      String topic,
      KafkaProperties kafka,
      Serializer eventSerializer,
      ConsumerFactory<String, byte[]> consumers,
      Fetcher<String, byte[], KafkaEventMessage> fetcher,
      KafkaMessageConverter<String, byte[]> converter) {
    return StreamableKafkaMessageSource.<String, byte[]>builder()
        .topics(List.of(topic))
        .serializer(eventSerializer)
        .consumerFactory(consumers)
        .fetcher(fetcher)
        .messageConverter(converter)
        .bufferFactory(() -> new FetchOrderRecordBuffer<>(kafka.getFetcher().getBufferSize()))
        .build();
  }

  /**
   * Creates the event topic and the changes topic on start when they are missing and creation is
   * enabled, with unlimited retention (the consumers rebuild from them), and refuses to start when
   * an existing one would lose records or refuse events ({@link KafkaTopics}).
   */
  @Bean
  TopicInitializer topicInitializer(KafkaProperties kafka, RegistryProperties properties) {
    List<String> topics = List.of(properties.topic(), properties.changesTopic());
    KafkaTopics.ensure(
        String.join(",", kafka.getBootstrapServers()), topics, properties.topicPartitions(), properties.createTopic());
    return new TopicInitializer(topics);
  }

  /** Marks that the topics were checked; other beans may depend on it. */
  record TopicInitializer(List<String> topics) {}
}

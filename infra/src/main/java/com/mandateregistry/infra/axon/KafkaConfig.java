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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.axonframework.config.ConfigurerModule;
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
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.SortedKafkaMessageBuffer;
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
 * Publishing stored events to Kafka, without losing any.
 *
 * <ul>
 *   <li>Records are keyed by tenant id, so one tenant's events stay in order in one partition.
 *   <li>The publisher is a tracking processor that takes up to {@code
 *       mandate-registry.publisher.batch-size} events per unit of work, sends them all, and waits
 *       for the broker's acknowledgement of every one before its token moves past them ({@link
 *       BatchConfirmingKafkaPublisher}); send failures propagate, so the batch is retried, never
 *       skipped.
 *   <li>Its initial token is the tail of the event store, so events stored before the publisher
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
    return DefaultKafkaMessageConverter.builder()
        .serializer(eventSerializer)
        .sequencingPolicy(BY_TENANT)
        .build();
  }

  /** Replaces Axon's publisher, which waits for each event's acknowledgement in turn. */
  @Bean(destroyMethod = "shutDown")
  @ConditionalOnProperty(name = "axon.kafka.publisher.enabled", havingValue = "true", matchIfMissing = true)
  @SuppressWarnings("unchecked")
  KafkaPublisher<String, byte[]> kafkaPublisher(
      ProducerFactory<?, ?> axonKafkaProducerFactory,
      KafkaMessageConverter<String, byte[]> kafkaMessageConverter,
      @Qualifier("eventSerializer") Serializer eventSerializer,
      RegistryProperties properties,
      @Value("${mandate-registry.publisher.ack-timeout:10s}") Duration ackTimeout) {
    return new BatchConfirmingKafkaPublisher(
        (ProducerFactory<String, byte[]>) axonKafkaProducerFactory,
        kafkaMessageConverter,
        eventSerializer,
        properties.topic(),
        Settings.positive("mandate-registry.publisher.ack-timeout", ackTimeout));
  }

  @Bean
  ConfigurerModule kafkaPublisherProcessor(
      KafkaProperties kafka, @Value("${mandate-registry.publisher.batch-size:200}") int batchSize) {
    String group = kafka.getPublisher().getProcessingGroup();
    return configurer ->
        configurer
            .eventProcessing()
            .registerTrackingEventProcessorConfiguration(
                group,
                c ->
                    TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                        .andBatchSize(Settings.atLeast("mandate-registry.publisher.batch-size", batchSize, 1))
                        .andInitialTrackingToken(StreamableMessageSource::createTailToken))
            .registerListenerInvocationErrorHandler(group, c -> PropagatingErrorHandler.instance());
  }

  /** The verification decisions: on the topic for the audit ledger, handled by no other consumer. */
  static final List<Class<?>> DECISION_EVENTS =
      List.of(VerificationAllowedEvent.class, VerificationDeniedEvent.class, EscalationTriggeredEvent.class);

  /**
   * The topic as Axon's auto-configuration reads it, for processors that handle every event type
   * (the audit ledger). Declared here because Axon's steps back once any other streamable source
   * exists.
   */
  @Bean
  StreamableKafkaMessageSource<String, byte[]> streamableKafkaMessageSource(
      KafkaProperties kafka,
      @Qualifier("eventSerializer") Serializer eventSerializer,
      ConsumerFactory<String, byte[]> consumers,
      Fetcher<String, byte[], KafkaEventMessage> fetcher,
      KafkaMessageConverter<String, byte[]> kafkaMessageConverter) {
    return streamableSource(kafka, eventSerializer, consumers, fetcher, kafkaMessageConverter);
  }

  /**
   * The topic for the processors that handle mandate events only (the mandate read model and the
   * verification index): decision records reach them as {@link SkippingMessageConverter.SkippedRecord}
   * messages, not converted.
   */
  @Bean
  StreamableKafkaMessageSource<String, byte[]> mandateEventsKafkaSource(
      KafkaProperties kafka,
      @Qualifier("eventSerializer") Serializer eventSerializer,
      ConsumerFactory<String, byte[]> consumers,
      Fetcher<String, byte[], KafkaEventMessage> fetcher,
      KafkaMessageConverter<String, byte[]> kafkaMessageConverter) {
    return streamableSource(
        kafka,
        eventSerializer,
        consumers,
        fetcher,
        new SkippingMessageConverter(kafkaMessageConverter, DECISION_EVENTS));
  }

  private static StreamableKafkaMessageSource<String, byte[]> streamableSource(
      KafkaProperties kafka,
      Serializer eventSerializer,
      ConsumerFactory<String, byte[]> consumers,
      Fetcher<String, byte[], KafkaEventMessage> fetcher,
      KafkaMessageConverter<String, byte[]> converter) {
    return StreamableKafkaMessageSource.<String, byte[]>builder()
        .topics(List.of(kafka.getDefaultTopic()))
        .serializer(eventSerializer)
        .consumerFactory(consumers)
        .fetcher(fetcher)
        .messageConverter(converter)
        .bufferFactory(() -> new SortedKafkaMessageBuffer<>(kafka.getFetcher().getBufferSize()))
        .build();
  }

  /** Creates the event topic on start when it is missing and creation is enabled. */
  @Bean
  TopicInitializer topicInitializer(KafkaProperties kafka, RegistryProperties properties) {
    if (properties.createTopic()) {
      createTopic(kafka, properties);
    }
    return new TopicInitializer(properties.topic());
  }

  /** Marks that the topic was checked; other beans may depend on it. */
  record TopicInitializer(String topic) {}

  private static void createTopic(KafkaProperties kafka, RegistryProperties properties) {
    Map<String, Object> config =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            String.join(",", kafka.getBootstrapServers()));
    try (Admin admin = Admin.create(config)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      if (existing.contains(properties.topic())) {
        return;
      }
      short replication =
          (short) Math.min(3, admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size());
      admin
          .createTopics(
              Set.of(new NewTopic(properties.topic(), properties.topicPartitions(), replication)))
          .all()
          .get(30, TimeUnit.SECONDS);
      log.info(
          "created Kafka topic {} with {} partitions", properties.topic(), properties.topicPartitions());
    } catch (ExecutionException e) {
      if (!(Optional.ofNullable(e.getCause()).orElse(e) instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create Kafka topic " + properties.topic(), e);
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException("Kafka did not answer while creating " + properties.topic(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating " + properties.topic(), e);
    }
  }
}

package com.mandateregistry.infra.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mandateregistry.api.EventMetadata;
import com.mandateregistry.api.mandate.MandateSuspendedEvent;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.extensions.kafka.eventhandling.DefaultKafkaMessageConverter;
import org.axonframework.extensions.kafka.eventhandling.producer.ProducerFactory;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

/**
 * A send the producer refuses at once stops the batch at that event, so that no later event of the
 * batch can reach the topic ahead of it; an acknowledgement that is already in is no refusal.
 */
class BatchConfirmingKafkaPublisherTest {

  private static final String TOPIC = "registry.events";

  private static final JacksonSerializer SERIALIZER =
      JacksonSerializer.builder().objectMapper(new ObjectMapper().findAndRegisterModules()).build();

  private static BatchConfirmingKafkaPublisher publisherOn(Producer<String, byte[]> producer) {
    return publisherOn(producer, TOPIC, Duration.ofSeconds(5));
  }

  /** A publisher to {@code topic} on {@code producer}, as the service builds it (also for {@link ChangesPublisherTest}). */
  static BatchConfirmingKafkaPublisher publisherOn(
      Producer<String, byte[]> producer, String topic, Duration ackTimeout) {
    return new BatchConfirmingKafkaPublisher(
        new ProducerFactory<>() {
          @Override
          public Producer<String, byte[]> createProducer() {
            return producer;
          }

          @Override
          public void shutDown() {}
        },
        DefaultKafkaMessageConverter.builder().serializer(SERIALIZER).sequencingPolicy(KafkaConfig.BY_TENANT).build(),
        SERIALIZER,
        topic,
        ackTimeout);
  }

  private static EventMessage<?> suspended(String mandate) {
    return GenericEventMessage.asEventMessage(
            new MandateSuspendedEvent(mandate, "tnt_a", "audit", Instant.parse("2026-12-07T10:00:00Z")))
        .andMetaData(Map.of(EventMetadata.TENANT_ID, "tnt_a"));
  }

  /**
   * A real producer with no broker to reach: it cannot learn the topic's partitions within {@code
   * max.block.ms}, so it answers the send with a failed future. The publisher throws there, in the
   * send of that event, and not only when the batch commits, after the next events were sent too.
   */
  @Test
  void aSendRefusedAtOnce_throwsThere_beforeTheNextEventIsSent() throws Exception {
    int nobodyListens;
    try (ServerSocket socket = new ServerSocket(0)) {
      nobodyListens = socket.getLocalPort();
    }
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + nobodyListens,
            ProducerConfig.MAX_BLOCK_MS_CONFIG, 300,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      BatchConfirmingKafkaPublisher publisher = publisherOn(producer);
      List<EventMessage<?>> batch = List.of(suspended("mdt_1"), suspended("mdt_2"));
      BatchingUnitOfWork<EventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(batch);
      unitOfWork.start();
      try {
        assertThatThrownBy(() -> publisher.send(batch.get(0)))
            .isInstanceOf(BatchConfirmingKafkaPublisher.EventNotPublishedException.class)
            .hasMessageContaining("refused an event as it was sent")
            .hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
      } finally {
        unitOfWork.rollback();
      }
    }
  }

  @Test
  void anAcknowledgementAlreadyIn_isNoRefusal() {
    MockProducer<String, byte[]> producer = new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer());
    BatchConfirmingKafkaPublisher publisher = publisherOn(producer);
    List<EventMessage<?>> batch = List.of(suspended("mdt_1"), suspended("mdt_2"));
    BatchingUnitOfWork<EventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(batch);
    unitOfWork.start();
    batch.forEach(publisher::send);
    unitOfWork.commit();

    assertThat(producer.history()).hasSize(2);
    assertThat(unitOfWork.isActive()).isFalse();
  }
}

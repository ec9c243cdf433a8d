package com.mandateregistry.infra.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.extensions.kafka.eventhandling.DefaultKafkaMessageConverter;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

/**
 * A record the converter cannot read stops the consumer instead of being passed over; one it wrote
 * reads back as before.
 */
class StrictKafkaMessageConverterTest {

  private final DefaultKafkaMessageConverter axons =
      DefaultKafkaMessageConverter.builder().serializer(JacksonSerializer.defaultSerializer()).build();
  private final StrictKafkaMessageConverter strict = new StrictKafkaMessageConverter(axons);

  private static ConsumerRecord<String, byte[]> received(ProducerRecord<String, byte[]> sent, long offset) {
    return new ConsumerRecord<>(sent.topic(), 3, offset, 0L, TimestampType.CREATE_TIME, 0, 0,
        sent.key(), sent.value(), sent.headers(), Optional.empty());
  }

  @Test
  void aRecordItWrote_readsBack() {
    EventMessage<String> event = GenericEventMessage.asEventMessage("hello");

    Optional<EventMessage<?>> read = strict.readKafkaMessage(received(strict.createKafkaMessage(event, "events"), 7));

    assertThat(read).get().extracting(EventMessage::getIdentifier).isEqualTo(event.getIdentifier());
  }

  @Test
  void aRecordAxonCannotRead_isAFailureNamingIt_whereAxonsConverterAnswersNothing() {
    ConsumerRecord<String, byte[]> foreign = new ConsumerRecord<>("events", 3, 42, 0L, TimestampType.CREATE_TIME,
        0, 0, "k", "not an event".getBytes(), new RecordHeaders(), Optional.empty());

    assertThat(axons.readKafkaMessage(foreign)).as("Axon's: skipped").isEmpty();
    assertThatThrownBy(() -> strict.readKafkaMessage(foreign))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("events-3@42");
  }
}

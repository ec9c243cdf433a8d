package com.mandateregistry.infra.axon;

import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;

/**
 * Axon's converter, except that a record it cannot read as an event is a failure, not nothing.
 *
 * <p>Axon's {@code DefaultKafkaMessageConverter} answers "no message" for a record without its
 * headers and for one whose conversion throws (logged at TRACE only), and the consumer then moves
 * past it: for the audit ledger, an event missing from the trail with nothing to show for it.
 * Failing instead hands the error to the processor, which stops at the record (health DEGRADED)
 * and retries until it can be read. Only the registry's publishers write to its topics, so a
 * record that cannot be read is a fault to fix, never one to skip.
 */
final class StrictKafkaMessageConverter implements KafkaMessageConverter<String, byte[]> {

  private final KafkaMessageConverter<String, byte[]> axons;

  StrictKafkaMessageConverter(KafkaMessageConverter<String, byte[]> axons) {
    this.axons = Objects.requireNonNull(axons, "axons");
  }

  @Override
  public ProducerRecord<String, byte[]> createKafkaMessage(EventMessage<?> eventMessage, String topic) {
    return axons.createKafkaMessage(eventMessage, topic);
  }

  @Override
  public Optional<EventMessage<?>> readKafkaMessage(ConsumerRecord<String, byte[]> record) {
    Optional<EventMessage<?>> message = axons.readKafkaMessage(record);
    if (message.isEmpty()) {
      throw new IllegalStateException(
          "the record at " + record.topic() + "-" + record.partition() + "@" + record.offset()
              + " cannot be read as an event; the consumer stops here rather than skip it");
    }
    return message;
  }
}

package com.mandateregistry.infra.axon;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.axonframework.messaging.Headers;

/**
 * Reads records for processors that handle none of the given event types: a record of one of those
 * types becomes a bare {@link SkippedRecord} message, without its payload or metadata being
 * converted, and every other record is read by the delegate as usual.
 *
 * <p>The skipped record still becomes a message, so the processor's token moves past it as past
 * any event it does not handle; returning nothing would leave the token on the last handled record
 * and make every restart fetch the skipped ones again. The type is read from Axon's {@code
 * axon-message-type} header by comparing bytes.
 *
 * <p>Used by the mandate read model and the verification index, which handle mandate events only,
 * for the verification decisions that make up nearly all of the topic under load (BENCHMARKS.md).
 */
final class SkippingMessageConverter implements KafkaMessageConverter<String, byte[]> {

  /** The payload of a skipped record: no processor handles it. */
  record SkippedRecord() {}

  private static final SkippedRecord SKIPPED = new SkippedRecord();

  private final KafkaMessageConverter<String, byte[]> delegate;
  private final List<byte[]> skippedTypes;

  SkippingMessageConverter(KafkaMessageConverter<String, byte[]> delegate, Collection<Class<?>> skipped) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.skippedTypes =
        skipped.stream().map(type -> type.getName().getBytes(StandardCharsets.UTF_8)).toList();
  }

  @Override
  public ProducerRecord<String, byte[]> createKafkaMessage(EventMessage<?> eventMessage, String topic) {
    return delegate.createKafkaMessage(eventMessage, topic);
  }

  @Override
  public Optional<EventMessage<?>> readKafkaMessage(ConsumerRecord<String, byte[]> consumerRecord) {
    Header type = consumerRecord.headers().lastHeader(Headers.MESSAGE_TYPE);
    if (type != null && type.value() != null) {
      for (byte[] skipped : skippedTypes) {
        if (Arrays.equals(skipped, type.value())) {
          return Optional.of(new GenericEventMessage<>(SKIPPED));
        }
      }
    }
    return delegate.readKafkaMessage(consumerRecord);
  }
}

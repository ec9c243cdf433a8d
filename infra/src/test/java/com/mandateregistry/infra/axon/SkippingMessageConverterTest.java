package com.mandateregistry.infra.axon;

import static org.assertj.core.api.Assertions.assertThat;

import com.mandateregistry.api.mandate.MandateRevokedEvent;
import com.mandateregistry.api.verification.VerificationDeniedEvent;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;

/**
 * Decision records reach the mandate-only processors as bare skipped messages; everything else is
 * read exactly as before.
 */
class SkippingMessageConverterTest {

  private final KafkaMessageConverter<String, byte[]> standard =
      new KafkaConfig().kafkaMessageConverter(new AxonConfig().eventSerializer());
  private final SkippingMessageConverter skipping =
      new SkippingMessageConverter(standard, KafkaConfig.DECISION_EVENTS);

  private static final Instant AT = Instant.parse("2026-11-28T12:00:00Z");

  private static ConsumerRecord<String, byte[]> consumed(ProducerRecord<String, byte[]> sent, byte[] value) {
    RecordHeaders headers = new RecordHeaders(sent.headers().toArray());
    return new ConsumerRecord<>(sent.topic(), 0, 42, 0L, TimestampType.CREATE_TIME, -1, -1,
        sent.key(), value, headers, Optional.empty());
  }

  private ProducerRecord<String, byte[]> sent(Object payload) {
    return standard.createKafkaMessage(
        new GenericEventMessage<>(payload, MetaData.with("tenant_id", "tnt_1")), "events");
  }

  @Test
  void aDecisionRecord_isSkipped_withoutItsValueOrMetadataBeingRead() {
    ProducerRecord<String, byte[]> sent =
        sent(new VerificationDeniedEvent("tnt_1", null, "agent", "a.b", "r:1",
            List.of("NO_MATCHING_MANDATE"), Map.of(), AT));
    byte[] garbage = "not json at all".getBytes(StandardCharsets.UTF_8);

    EventMessage<?> read = skipping.readKafkaMessage(consumed(sent, garbage)).orElseThrow();

    assertThat(read.getPayload()).isInstanceOf(SkippingMessageConverter.SkippedRecord.class);
    assertThat(read.getMetaData()).isEmpty();
  }

  @Test
  void aMandateRecord_isReadAsTheStandardConverterReadsIt() {
    ProducerRecord<String, byte[]> sent = sent(new MandateRevokedEvent("mdt_1", "tnt_1", "done", AT));
    ConsumerRecord<String, byte[]> record = consumed(sent, sent.value());

    EventMessage<?> ours = skipping.readKafkaMessage(record).orElseThrow();
    EventMessage<?> theirs = standard.readKafkaMessage(record).orElseThrow();

    assertThat(ours.getPayload()).isEqualTo(new MandateRevokedEvent("mdt_1", "tnt_1", "done", AT));
    assertThat(ours.getPayload()).isEqualTo(theirs.getPayload());
    assertThat(ours.getIdentifier()).isEqualTo(theirs.getIdentifier());
    assertThat(ours.getMetaData()).isEqualTo(theirs.getMetaData()).containsEntry("tenant_id", "tnt_1");
  }

  /** The handlers of the two processors that read the skipping source (application.yml). */
  @Test
  void noHandlerOfTheProcessorsReadingThatSource_takesASkippedType() throws Exception {
    for (String name : List.of(
        "com.mandateregistry.query.mandate.MandateProjection",
        "com.mandateregistry.query.verification.index.VerificationIndexProjection")) {
      Class<?> projection = Class.forName(name);
      for (Method method : projection.getDeclaredMethods()) {
        if (method.isAnnotationPresent(EventHandler.class)) {
          Class<?> handled = method.getParameterTypes()[0];
          assertThat(KafkaConfig.DECISION_EVENTS)
              .as("%s.%s handles %s", projection.getSimpleName(), method.getName(), handled.getSimpleName())
              .noneMatch(skipped -> handled.isAssignableFrom(skipped));
        }
      }
      assertThat(Arrays.stream(projection.getDeclaredMethods()).filter(m -> m.isAnnotationPresent(EventHandler.class)))
          .as("%s has event handlers", projection.getSimpleName())
          .isNotEmpty();
    }
  }
}

package com.mandateregistry.infra.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mandateregistry.api.EventMetadata;
import com.mandateregistry.api.mandate.MandateCreatedEvent;
import com.mandateregistry.api.mandate.MandateSuspendedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.junit.jupiter.api.Test;

/**
 * The changes publisher declines the decisions, sends everything else to the changes topic keyed by
 * tenant, and, through {@link BatchConfirmingKafkaPublisher}, lets its batch commit only once Kafka
 * acknowledged every send of it. Kafka's own {@link MockProducer} stands in for the broker.
 */
class ChangesPublisherTest {

  private static final String TOPIC = "registry.events.changes";

  private final MockProducer<String, byte[]> producer =
      new MockProducer<>(false, new StringSerializer(), new ByteArraySerializer());

  private final ChangesPublisher changes =
      new ChangesPublisher(
          BatchConfirmingKafkaPublisherTest.publisherOn(producer, TOPIC, Duration.ofMillis(300)),
          KafkaConfig.DECISION_EVENTS);

  private static EventMessage<?> suspended(String tenant, String mandate) {
    return GenericEventMessage.asEventMessage(
            new MandateSuspendedEvent(mandate, tenant, "audit", Instant.parse("2026-12-06T10:00:00Z")))
        .andMetaData(Map.of(EventMetadata.TENANT_ID, tenant));
  }

  @Test
  void declinesTheDecisions_andTakesEveryOtherEvent() {
    for (Class<?> decision : KafkaConfig.DECISION_EVENTS) {
      assertThat(changes.canHandleType(decision)).as(decision.getSimpleName()).isFalse();
    }
    assertThat(KafkaConfig.DECISION_EVENTS).hasSize(3);
    assertThat(changes.canHandleType(MandateCreatedEvent.class)).isTrue();
    assertThat(changes.canHandleType(MandateSuspendedEvent.class)).isTrue();
    assertThat(changes.canHandle(suspended("tnt_a", "mdt_1"))).isTrue();
    assertThat(changes.supportsReset()).isFalse();
  }

  @Test
  void aBatchCommits_onceKafkaAcknowledgedEverySendOfIt() {
    List<EventMessage<?>> batch = List.of(suspended("tnt_a", "mdt_1"), suspended("tnt_b", "mdt_2"));
    BatchingUnitOfWork<EventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(batch);
    unitOfWork.start();
    batch.forEach(changes::handle);
    assertThat(producer.history()).extracting(ProducerRecord::topic).containsExactly(TOPIC, TOPIC);
    assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("tnt_a", "tnt_b");

    assertThat(producer.completeNext()).isTrue();
    assertThat(producer.completeNext()).isTrue();
    unitOfWork.commit();
    assertThat(unitOfWork.isActive()).isFalse();
  }

  @Test
  void aBatchWithASendNotAcknowledged_doesNotCommit() {
    BatchingUnitOfWork<EventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(List.of(suspended("tnt_a", "mdt_1")));
    unitOfWork.start();
    changes.handle(suspended("tnt_a", "mdt_1"));
    changes.handle(suspended("tnt_a", "mdt_2"));
    assertThat(producer.completeNext()).isTrue(); // the second is never acknowledged

    assertThatThrownBy(unitOfWork::commit)
        .isInstanceOf(BatchConfirmingKafkaPublisher.EventNotPublishedException.class)
        .hasMessageContaining("did not acknowledge in time");
  }

  @Test
  void aRefusedSend_failsTheBatch() {
    BatchingUnitOfWork<EventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(List.of(suspended("tnt_a", "mdt_1")));
    unitOfWork.start();
    changes.handle(suspended("tnt_a", "mdt_1"));
    assertThat(producer.errorNext(new IllegalStateException("topic is gone"))).isTrue();

    assertThatThrownBy(unitOfWork::commit)
        .isInstanceOf(BatchConfirmingKafkaPublisher.EventNotPublishedException.class)
        .hasMessageContaining("Kafka refused an event");
  }
}

package com.mandateregistry.infra.axon;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.axonframework.extensions.kafka.eventhandling.producer.KafkaPublisher;
import org.axonframework.extensions.kafka.eventhandling.producer.ProducerFactory;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.monitoring.NoOpMessageMonitor;
import org.axonframework.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes stored events to Kafka and confirms them <em>per batch</em> of the publishing
 * processor, not per event.
 *
 * <p>Axon's {@link KafkaPublisher} in {@code WAIT_FOR_ACK} mode sends one event and blocks until the
 * broker acknowledged it before it looks at the next, so the publisher managed one broker round
 * trip per event (about 280 events/s on the 2-core development machine, BENCHMARKS.md). This one
 * hands every event of the processor's batch to the producer without waiting, and waits for all
 * their acknowledgements once, when the batch's unit of work prepares to commit: before the
 * processor's token moves past them. The guarantee is unchanged: a send that fails or is not
 * acknowledged in time fails the whole batch, its transaction rolls back, the token stays where it
 * was, and the processor retries the batch (publishing some events twice, which every consumer
 * tolerates).
 *
 * <p>Order is kept: records of one tenant go to one partition, in the order sent, by an idempotent
 * producer, and no event reaches the topic ahead of an earlier one that did not, short of an error
 * the broker does not retry (below). Two things make the second part true:
 *
 * <ul>
 *   <li>A send the producer refuses at once (no metadata for the topic within {@code max.block.ms},
 *       a record too large, a full buffer) stops the batch there and then: the events after it are
 *       not sent. Before, they were, and once the topic appeared in the meantime, an event reached
 *       the topic ahead of the one refused before it (the audit ledger, which chains events in the
 *       order it reads them, would have chained a tenant's API key ahead of its registration).
 *   <li>A record the producer took never expires ({@code delivery.timeout.ms} is at its maximum in
 *       {@code application.yml}): it reaches the broker, in order, whenever the broker can be
 *       reached, so a later record of the same partition cannot overtake it by outliving it.
 *       The producer retries every error it can in order (with an idempotent producer, a lost
 *       producer id or an out-of-order sequence too). Only an error it does not retry (a topic
 *       not authorised, a record too large for the topic, an invalid record) fails an accepted
 *       record and lets the next one of its partition through: that one is overtaken, and its
 *       batch fails until the cause is removed; if the cause was passing, its first copy lands
 *       after later events. Only a change to the cluster or the topic can cause such an error
 *       (the start refuses a topic whose record limit is below twice the largest event).
 * </ul>
 *
 * <p>Copies of a failed batch that are still in the producer when the batch is sent again are
 * written too, in the end, and stay on the topic; the consumers drop them. The producer's buffer
 * ({@code buffer.memory}) bounds them: once it is full, a send waits {@code max.block.ms} and is
 * refused at once.
 *
 * <p>So, short of such an error, the first copy of every event on the topic comes after the first
 * copy of every event stored before it; what a retried batch adds are later copies, which the
 * consumers drop.
 */
final class BatchConfirmingKafkaPublisher extends KafkaPublisher<String, byte[]> {

  private static final Logger log = LoggerFactory.getLogger(BatchConfirmingKafkaPublisher.class);

  private final ProducerFactory<String, byte[]> producers;
  private final KafkaMessageConverter<String, byte[]> converter;
  private final String topic;
  private final Duration ackTimeout;
  /** The unit-of-work resource holding this publisher's unconfirmed sends. */
  private final String pending;

  BatchConfirmingKafkaPublisher(
      ProducerFactory<String, byte[]> producers,
      KafkaMessageConverter<String, byte[]> converter,
      Serializer serializer,
      String topic,
      Duration ackTimeout) {
    super(
        KafkaPublisher.<String, byte[]>builder()
            .producerFactory(producers)
            .messageConverter(converter)
            // unused with a converter given, but without it the builder logs a warning with a
            // stack trace about a default XStream serializer at every start
            .serializer(serializer)
            .messageMonitor(NoOpMessageMonitor.INSTANCE)
            .topicResolver(m -> java.util.Optional.of(topic))
            .publisherAckTimeout(ackTimeout.toMillis()));
    this.producers = Objects.requireNonNull(producers, "producers");
    this.converter = Objects.requireNonNull(converter, "converter");
    this.topic = Objects.requireNonNull(topic, "topic");
    this.ackTimeout = Objects.requireNonNull(ackTimeout, "ackTimeout");
    this.pending = BatchConfirmingKafkaPublisher.class.getName() + ".pending." + topic;
  }

  @Override
  public <T extends EventMessage<?>> void send(T event) {
    Producer<String, byte[]> producer = producers.createProducer(); // the shared producer
    Future<RecordMetadata> ack = producer.send(converter.createKafkaMessage(event, topic));
    if (ack.isDone()) {
      refusedAtOnce(ack); // before any later event of the batch is sent
    }
    if (!CurrentUnitOfWork.isStarted()) {
      await(List.of(ack));
      return;
    }
    UnitOfWork<?> root = CurrentUnitOfWork.get().root();
    List<Future<RecordMetadata>> pending =
        root.getOrComputeResource(
            this.pending,
            key -> {
              List<Future<RecordMetadata>> acks = new ArrayList<>();
              root.onPrepareCommit(u -> await(acks));
              return acks;
            });
    pending.add(ack);
  }

  /** Throws if a send the producer has already answered was refused. */
  private static void refusedAtOnce(Future<RecordMetadata> ack) {
    try {
      ack.get();
    } catch (ExecutionException e) {
      log.warn("Kafka refused an event as it was sent; the rest of its batch is not sent, and the batch"
          + " will be published again: {}", String.valueOf(e.getCause()));
      throw new EventNotPublishedException("Kafka refused an event as it was sent", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EventNotPublishedException("interrupted while sending to Kafka", e);
    }
  }

  /** Waits for every acknowledgement, all within one {@code ackTimeout}; throws on the first failure. */
  private void await(List<Future<RecordMetadata>> acks) {
    long deadline = System.nanoTime() + ackTimeout.toNanos();
    try {
      for (Future<RecordMetadata> ack : acks) {
        ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (ExecutionException e) {
      log.warn("Kafka refused an event of a batch of {}; the batch will be published again: {}",
          acks.size(), String.valueOf(e.getCause()));
      throw new EventNotPublishedException("Kafka refused an event", e.getCause());
    } catch (TimeoutException e) {
      log.warn("Kafka did not acknowledge a batch of {} events within {}; it will be published again",
          acks.size(), ackTimeout);
      throw new EventNotPublishedException("Kafka did not acknowledge in time", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EventNotPublishedException("interrupted while waiting for Kafka", e);
    }
  }

  /** A batch was not (certainly) taken by Kafka; the processor retries it. */
  static final class EventNotPublishedException extends RuntimeException {
    EventNotPublishedException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}

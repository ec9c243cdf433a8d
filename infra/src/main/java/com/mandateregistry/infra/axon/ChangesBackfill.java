package com.mandateregistry.infra.axon;

import com.mandateregistry.infra.config.RegistryProperties;
import com.mandateregistry.query.verification.IndexBackfill;
import com.mandateregistry.query.verification.config.VerificationConfiguration;
import jakarta.annotation.PreDestroy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.extensions.kafka.eventhandling.consumer.ConsumerFactory;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaTrackingToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code /v1/verify} at 503 while the changes topic is being back-filled (ADR 0005), so that
 * the index never answers from a topic that lacks changes stored before the start: a mandate
 * created before an upgrade would otherwise be a false {@code NO_MATCHING_MANDATE} until the
 * {@value ChangesPublisher#PROCESSING_GROUP} processor has published it.
 *
 * <p>Ready once, in this order:
 *
 * <ol>
 *   <li>the {@value ChangesPublisher#PROCESSING_GROUP} processor's token (in {@code token_entry},
 *       wherever in the cluster it runs) has reached the highest {@code global_index} the event
 *       store held when this node started;
 *   <li>then the index's token has reached the changes topic's end offsets, as read right after
 *       (every record then on the topic).
 * </ol>
 *
 * <p>Checked on a thread of its own from the moment the application is ready, every {@value
 * #CHECK_INTERVAL_MILLIS} ms until both hold; never again after. A node of a deployment that is
 * not back-filling passes both within moments of its start: the publisher is past the head of the
 * store and the index has caught up. With the index configured on the event topic (the first step
 * of a large upgrade) there is nothing to wait for.
 */
@Component
class ChangesBackfill implements IndexBackfill {

  private static final Logger log = LoggerFactory.getLogger(ChangesBackfill.class);

  static final long CHECK_INTERVAL_MILLIS = 200;

  private final JdbcTemplate jdbc;
  private final Serializer tokenSerializer;
  private final ConsumerFactory<String, byte[]> consumers;
  private final EventProcessingConfiguration processing;
  private final String changesTopic;
  private final boolean indexReadsChanges;

  private final long storeHead;
  private volatile boolean ready;
  private volatile boolean stopped;
  private Map<TopicPartition, Long> endOffsets; // of the changes topic, once the publisher had reached storeHead

  ChangesBackfill(
      JdbcTemplate jdbc,
      Serializer serializer,
      ConsumerFactory<String, byte[]> consumers,
      EventProcessingConfiguration processing,
      RegistryProperties properties,
      @Value("${axon.eventhandling.processors.verification-index.source:changesKafkaSource}") String indexSource) {
    this.jdbc = jdbc;
    this.tokenSerializer = serializer;
    this.consumers = consumers;
    this.processing = processing;
    this.changesTopic = properties.changesTopic();
    this.indexReadsChanges = "changesKafkaSource".equals(indexSource);
    this.storeHead =
        jdbc.queryForObject("SELECT coalesce(max(global_index), -1) FROM domain_event_entry", Long.class);
  }

  /**
   * Checks until ready, on a thread of its own, from the moment the processors run: a verification
   * only reads the outcome, and never waits for the database or the broker here.
   */
  @EventListener(ApplicationReadyEvent.class)
  void checkUntilReady() {
    Thread checker = new Thread(() -> {
      while (!stopped && !ready) {
        try {
          ready = check();
          if (!ready) {
            Thread.sleep(CHECK_INTERVAL_MILLIS);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (RuntimeException e) {
          // the database or the broker did not answer: not known to be ready, so not ready (503)
          log.warn("cannot tell yet whether the changes topic is back-filled: {}", e.toString());
          sleepQuietly();
        }
      }
    }, "changes-backfill-check");
    checker.setDaemon(true);
    checker.start();
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(CHECK_INTERVAL_MILLIS * 5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @PreDestroy
  void stop() {
    stopped = true;
  }

  @Override
  public boolean indexHasReadAllChanges() {
    return ready;
  }

  private boolean check() {
    if (!indexReadsChanges) {
      return true;
    }
    if (endOffsets == null) {
      OptionalLong published = publisherPosition();
      if (storeHead >= 0 && (published.isEmpty() || published.getAsLong() < storeHead)) {
        log.debug("changes topic back-fill: published up to {} of {}", published, storeHead);
        return false;
      }
      endOffsets = endOffsets();
    }
    Map<TopicPartition, Long> read = indexPositions();
    for (Map.Entry<TopicPartition, Long> end : endOffsets.entrySet()) {
      long lastOffset = end.getValue() - 1; // the end offset is the next record's
      if (lastOffset >= 0 && read.getOrDefault(end.getKey(), -1L) < lastOffset) {
        return false;
      }
    }
    log.info("verification index has read every change stored before the start (store head {})", storeHead);
    return true;
  }

  /** The changes publisher's position in the event store, wherever it runs; empty before its first token. */
  private OptionalLong publisherPosition() {
    List<OptionalLong> positions =
        jdbc.query(
            "SELECT token, token_type FROM token_entry WHERE processor_name = ? AND token IS NOT NULL",
            (rs, i) -> {
              TrackingToken token =
                  tokenSerializer.deserialize(
                      new SimpleSerializedObject<>(rs.getBytes("token"), byte[].class, rs.getString("token_type"), null));
              return token == null ? OptionalLong.empty() : token.position();
            },
            ChangesPublisher.PROCESSING_GROUP);
    return positions.stream().flatMapToLong(OptionalLong::stream).min();
  }

  private Map<TopicPartition, Long> endOffsets() {
    try (Consumer<String, byte[]> consumer = consumers.createConsumer(null)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(changesTopic).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      return Map.copyOf(consumer.endOffsets(partitions));
    }
  }

  /** Per partition of the changes topic, the offset of the last record the index has handled. */
  private Map<TopicPartition, Long> indexPositions() {
    return processing
        .eventProcessor(VerificationConfiguration.INDEX_PROCESSOR, StreamingEventProcessor.class)
        .flatMap(p -> p.processingStatus().values().stream().findFirst())
        .flatMap(status -> Optional.ofNullable(status.getTrackingToken()))
        .flatMap(token -> WrappedToken.unwrap(token, KafkaTrackingToken.class))
        .map(KafkaTrackingToken::getPositions)
        .orElse(Map.of());
  }
}

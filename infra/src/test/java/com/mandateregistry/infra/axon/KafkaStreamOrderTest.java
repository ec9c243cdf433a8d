package com.mandateregistry.infra.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaEventMessage;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaMessageStream;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaTrackingToken;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.SortedKafkaMessageBuffer;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.TrackingRecordConverter;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.Buffer;
import org.junit.jupiter.api.Test;

/**
 * What a processor reading the topic through Axon's own converter and stream is handed, with our
 * buffer: every message's tracking token covers only records handed out before it or with it, so
 * a token stored at the end of any batch never skips a record when the stream is opened again
 * from it; and each partition comes out in offset order whatever its records' timestamps. Axon's
 * sorted buffer, in the same situations, hands out a token past records it still holds (found by a
 * code review of the ledger, which such a skip would silently leave without entries).
 */
class KafkaStreamOrderTest {

  private static final String TOPIC = "events";

  /** Reads each record as the text "p&lt;partition&gt;@&lt;offset&gt;". */
  private static final KafkaMessageConverter<String, byte[]> NAMES = new KafkaMessageConverter<>() {
    @Override
    public ProducerRecord<String, byte[]> createKafkaMessage(EventMessage<?> eventMessage, String topic) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<EventMessage<?>> readKafkaMessage(ConsumerRecord<String, byte[]> record) {
      return Optional.of(GenericEventMessage.asEventMessage("p" + record.partition() + "@" + record.offset()));
    }
  };

  private static ConsumerRecord<String, byte[]> record(int partition, long offset, long timestamp) {
    return new ConsumerRecord<>(TOPIC, partition, offset, timestamp, TimestampType.CREATE_TIME, 0, 0,
        "tnt_" + partition, new byte[0], new RecordHeaders(), Optional.empty());
  }

  @SafeVarargs
  private static ConsumerRecords<String, byte[]> poll(ConsumerRecord<String, byte[]>... records) {
    Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> byPartition = new LinkedHashMap<>();
    for (ConsumerRecord<String, byte[]> r : records) {
      byPartition.computeIfAbsent(new TopicPartition(TOPIC, r.partition()), k -> new ArrayList<>()).add(r);
    }
    return new ConsumerRecords<>(byPartition);
  }

  /** What the processor is handed, in order, each with its token's positions by partition. */
  private static List<String> handedOut(Buffer<KafkaEventMessage> buffer, List<ConsumerRecords<String, byte[]>> polls)
      throws InterruptedException {
    TrackingRecordConverter<String, byte[]> converter =
        new TrackingRecordConverter<>(NAMES, KafkaTrackingToken.emptyToken());
    for (ConsumerRecords<String, byte[]> poll : polls) {
      buffer.putAll(converter.convert(poll));
    }
    KafkaMessageStream stream = new KafkaMessageStream(buffer, () -> true);
    List<String> out = new ArrayList<>();
    while (stream.hasNextAvailable()) {
      TrackedEventMessage<?> m = stream.nextAvailable();
      Map<Integer, Long> positions = new java.util.TreeMap<>();
      ((KafkaTrackingToken) m.trackingToken()).getPositions().forEach((tp, offset) -> positions.put(tp.partition(), offset));
      out.add(m.getPayload() + " " + positions);
    }
    return out;
  }

  /** Partition 0's newer records fetched first, then partition 1's older one (a catch-up read). */
  private static final List<ConsumerRecords<String, byte[]>> CATCH_UP = List.of(
      poll(record(0, 150, 2_000), record(0, 151, 2_001)),
      poll(record(1, 50, 1_000)));

  @Test
  void inFetchOrder_eachTokenCoversOnlyWhatWasHandedOut() throws InterruptedException {
    assertThat(handedOut(new FetchOrderRecordBuffer<>(100), CATCH_UP)).containsExactly(
        "p0@150 {0=150}",
        "p0@151 {0=151}",
        "p1@50 {0=151, 1=50}");
  }

  @Test
  void axonsSortedBuffer_handsOutATokenPastRecordsItStillHolds() throws InterruptedException {
    // the first message's token already says partition 0 is at 151: stored at the end of a batch,
    // a stream opened again from it resumes at 152, and p0@150 and p0@151 are never handled
    assertThat(handedOut(new SortedKafkaMessageBuffer<>(100), CATCH_UP).get(0)).isEqualTo("p1@50 {0=151, 1=50}");
  }

  @Test
  void onePartition_staysInOffsetOrder_whateverItsTimestamps() throws InterruptedException {
    // offset 11 stamped before offset 10: the publisher's clock stepped back, or it moved to a node
    // whose clock is behind
    List<ConsumerRecords<String, byte[]>> clockBack = List.of(poll(record(0, 10, 5_000), record(0, 11, 4_990)));

    assertThat(handedOut(new FetchOrderRecordBuffer<>(100), clockBack))
        .containsExactly("p0@10 {0=10}", "p0@11 {0=11}");
    assertThat(handedOut(new SortedKafkaMessageBuffer<>(100), clockBack).get(0))
        .as("Axon's buffer: offset 11 first, with a token past offset 10").isEqualTo("p0@11 {0=11}");
  }
}

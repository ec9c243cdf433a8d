package com.mandateregistry.infra.embedded;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class EmbeddedKafkaBrokerTest {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBrokerTest.class);
    private static final String TOPIC = "mandate-events";

    @TempDir
    Path dataDir;

    /** What a record was when produced, and where it landed. */
    record Stored(int partition, long offset, String key, String value) {
    }

    @Test
    void topicsAndRecordsSurviveARestart() throws Exception {
        List<Stored> produced = new ArrayList<>();
        String clusterId;
        int port;

        long t0 = System.nanoTime();
        try (EmbeddedKafkaBroker kafka = new EmbeddedKafkaBroker(dataDir, 0)) {
            LOG.info("Kafka first start (format + start) took {} ms", millisSince(t0));
            clusterId = kafka.clusterId();
            port = kafka.port();
            assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            assertThat(kafka.logDirectory()).isEqualTo(dataDir.toAbsolutePath().normalize().resolve("kafka/logs"));
            assertThat(kafka.logDirectory().resolve("meta.properties")).exists();

            try (Admin admin = admin(kafka)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            produced.addAll(produce(kafka, 0, 30));
        }
        assertThat(produced).hasSize(30);

        long t1 = System.nanoTime();
        try (EmbeddedKafkaBroker kafka = new EmbeddedKafkaBroker(dataDir, port)) {
            LOG.info("Kafka restart took {} ms", millisSince(t1));
            assertThat(kafka.clusterId()).isEqualTo(clusterId);
            assertThat(kafka.port()).isEqualTo(port);
            try (Admin admin = admin(kafka)) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(TOPIC);
                assertThat(admin.describeTopics(Set.of(TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS)
                        .get(TOPIC).partitions()).hasSize(3);
            }

            try (KafkaConsumer<String, String> consumer = consumer(kafka, "replay")) {
                consumer.subscribe(List.of(TOPIC));
                List<Stored> consumed = pollUntil(consumer, 30);
                assertThat(byPosition(consumed)).containsExactlyElementsOf(byPosition(produced));
                // within each partition, records come back in the order they were written
                for (int p = 0; p < 3; p++) {
                    int partition = p;
                    assertThat(consumed.stream().filter(s -> s.partition() == partition).toList())
                            .containsExactlyElementsOf(produced.stream().filter(s -> s.partition() == partition).toList());
                }

                List<Stored> more = produce(kafka, 30, 5);
                List<Stored> consumedMore = pollUntil(consumer, 5);
                assertThat(byPosition(consumedMore)).containsExactlyElementsOf(byPosition(more));
                for (Stored s : more) {
                    long previousMax = produced.stream().filter(o -> o.partition() == s.partition())
                            .mapToLong(Stored::offset).max().orElse(-1);
                    assertThat(s.offset()).isGreaterThan(previousMax);
                }
            }
        }
    }

    @Test
    void autoCreatesTopicsWithTheConfiguredPartitionCount() throws Exception {
        try (EmbeddedKafkaBroker kafka = new EmbeddedKafkaBroker(dataDir, 0, true, 2)) {
            List<Stored> produced = produce(kafka, "auto-created", 0, 4);
            assertThat(produced).hasSize(4);
            try (Admin admin = admin(kafka)) {
                assertThat(admin.describeTopics(Set.of("auto-created")).allTopicNames().get(30, TimeUnit.SECONDS)
                        .get("auto-created").partitions()).hasSize(2);
            }
        }
    }

    @Test
    void portsAreFreedOnClose() throws Exception {
        int port;
        int controllerPort;
        try (EmbeddedKafkaBroker kafka = new EmbeddedKafkaBroker(dataDir, 0)) {
            port = kafka.port();
            controllerPort = kafka.controllerPort();
        }
        try (ServerSocket a = new ServerSocket(port); ServerSocket b = new ServerSocket(controllerPort)) {
            assertThat(a.getLocalPort()).isEqualTo(port);
            assertThat(b.getLocalPort()).isEqualTo(controllerPort);
        }
        try (EmbeddedKafkaBroker again = new EmbeddedKafkaBroker(dataDir, port)) {
            assertThat(again.port()).isEqualTo(port);
        }
    }

    @Test
    void aSecondBrokerOnTheSameDirectoryFailsWithoutDisturbingTheFirst() throws Exception {
        try (EmbeddedKafkaBroker kafka = new EmbeddedKafkaBroker(dataDir, 0)) {
            assertThatThrownBy(() -> new EmbeddedKafkaBroker(dataDir, 0))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use");
            assertThat(produce(kafka, "still-works", 0, 2)).hasSize(2);
        }
    }

    @Test
    void aFixedPortInUseFailsTheStartWithAnException() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> new EmbeddedKafkaBroker(dataDir, taken.getLocalPort()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("could not start embedded Kafka");
        }
        // the directory and the JVM are still fine
        try (EmbeddedKafkaBroker kafka = new EmbeddedKafkaBroker(dataDir, 0)) {
            assertThat(produce(kafka, "after-failure", 0, 1)).hasSize(1);
        }
    }

    private static List<Stored> produce(EmbeddedKafkaBroker kafka, int from, int count) throws Exception {
        return produce(kafka, TOPIC, from, count);
    }

    private static List<Stored> produce(EmbeddedKafkaBroker kafka, String topic, int from, int count) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        List<Stored> stored = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            for (int i = from; i < from + count; i++) {
                String key = "tnt_" + (i % 4);
                String value = "evt_" + i;
                RecordMetadata md = producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
                stored.add(new Stored(md.partition(), md.offset(), key, value));
            }
        }
        return stored;
    }

    private static KafkaConsumer<String, String> consumer(EmbeddedKafkaBroker kafka, String group) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
    }

    private static List<Stored> pollUntil(KafkaConsumer<String, String> consumer, int expected) {
        List<Stored> received = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        received.add(new Stored(r.partition(), r.offset(), r.key(), r.value()));
                    }
                    return received.size() >= expected;
                });
        assertThat(received).hasSize(expected);
        return received;
    }

    private static List<Stored> byPosition(List<Stored> records) {
        return records.stream()
                .sorted(Comparator.comparingInt(Stored::partition).thenComparingLong(Stored::offset))
                .toList();
    }

    private static Admin admin(EmbeddedKafkaBroker kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}

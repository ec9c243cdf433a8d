package com.mandateregistry.infra.embedded;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EmbeddedStackTest {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStackTest.class);
    private static final String TOPIC = "stack-events";
    private static final String GROUP = "ledger";

    @TempDir
    Path dataDir;

    @Test
    void startsStopsAndRestartsOnFixedPortsInTheSameJvm() throws Exception {
        int postgresPort = freePort();
        int kafkaPort = freePort();
        Map<TopicPartition, OffsetAndMetadata> committed;

        long t0 = System.nanoTime();
        try (EmbeddedStack stack = EmbeddedStack.start(dataDir, postgresPort, kafkaPort)) {
            LOG.info("Embedded stack first start took {} ms", millisSince(t0));
            assertThat(stack.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:" + postgresPort + "/mandates");
            assertThat(stack.bootstrapServers()).isEqualTo("127.0.0.1:" + kafkaPort);
            assertThat(stack.dataDirectory()).isEqualTo(dataDir.toAbsolutePath().normalize());

            try (Connection c = stack.postgres().connect(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE processed (event_id text PRIMARY KEY)");
                st.execute("INSERT INTO processed VALUES ('evt_1')");
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            produce(stack, "evt_1", "evt_2", "evt_3");
            try (KafkaConsumer<String, String> consumer = consumer(stack)) {
                consumer.subscribe(List.of(TOPIC));
                assertThat(poll(consumer, 3)).containsExactly("evt_1", "evt_2", "evt_3");
                consumer.commitSync();
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
                committed = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            }
            assertThat(committed).containsKey(new TopicPartition(TOPIC, 0));
            assertThat(committed.get(new TopicPartition(TOPIC, 0)).offset()).isEqualTo(3);
        }

        // both servers released their fixed ports
        try (ServerSocket pg = new ServerSocket(postgresPort); ServerSocket kafka = new ServerSocket(kafkaPort)) {
            assertThat(pg.isBound() && kafka.isBound()).isTrue();
        }

        long t1 = System.nanoTime();
        try (EmbeddedStack stack = EmbeddedStack.start(dataDir, postgresPort, kafkaPort)) {
            LOG.info("Embedded stack restart took {} ms", millisSince(t1));
            try (Connection c = stack.postgres().connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT event_id FROM processed")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("evt_1");
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
                assertThat(admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS))
                        .isEqualTo(committed);
            }
            // the group resumes after its committed offset
            produce(stack, "evt_4");
            try (KafkaConsumer<String, String> consumer = consumer(stack)) {
                consumer.subscribe(List.of(TOPIC));
                assertThat(poll(consumer, 1)).containsExactly("evt_4");
            }
        }
    }

    private static void produce(EmbeddedStack stack, String... values) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(TOPIC, "tnt_1", value)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static KafkaConsumer<String, String> consumer(EmbeddedStack stack) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, GROUP,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
    }

    private static List<String> poll(KafkaConsumer<String, String> consumer, int expected) {
        List<String> values = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        values.add(r.value());
                    }
                    return values.size() >= expected;
                });
        return values;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}

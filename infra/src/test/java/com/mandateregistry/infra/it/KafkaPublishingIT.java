package com.mandateregistry.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mandateregistry.infra.axon.FetchOrderRecordBuffer;
import com.mandateregistry.query.verification.index.VerificationIndex;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaTrackingToken;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.StreamableKafkaMessageSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every stored event reaches the event topic, and every one but the decisions the changes topic, in
 * order, keyed by tenant; the read model and the index read the changes topic; the read model is
 * idempotent.
 */
class KafkaPublishingIT {

  private static TestApp app;
  private static Api api;

  @BeforeAll
  static void start() {
    app = TestApp.shared();
    api = app.api;
  }

  private static List<ConsumerRecord<String, byte[]>> tenantRecords(String tenantId, int expected) {
    return tenantRecords(app.topic, tenantId, expected);
  }

  private static List<ConsumerRecord<String, byte[]>> tenantRecords(String topic, String tenantId, int expected) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> KafkaTopic.firstCopies(KafkaTopic.readAll(topic)).stream().filter(r -> tenantId.equals(r.key())).toList(),
            list -> list.size() >= expected);
  }

  private static final List<String> LIFECYCLE =
      List.of(
          "TenantRegisteredEvent",
          "ApiKeyIssuedEvent",
          "MandateCreatedEvent",
          "MandateSuspendedEvent",
          "MandateReactivatedEvent",
          "MandateRevokedEvent");

  @Test
  void bothTopicsHoldEveryChangeOfTheTenant_inOrder_keyedByTenant() {
    TestApp.Tenant tenant = app.newTenant();
    String id = MandateLifecycleIT.create(tenant);
    api.post(tenant, "/v1/mandates/" + id + "/suspend", "{}");
    api.post(tenant, "/v1/mandates/" + id + "/reactivate", null);
    api.post(tenant, "/v1/mandates/" + id + "/revoke", "{}");

    for (String topic : List.of(app.topic, app.changesTopic())) {
      List<ConsumerRecord<String, byte[]>> records = tenantRecords(topic, tenant.id(), 6);
      assertThat(records).as(topic).extracting(KafkaTopic::type).containsExactlyElementsOf(LIFECYCLE);
      assertThat(records).extracting(ConsumerRecord::partition).containsOnly(records.get(0).partition());
      assertThat(records.subList(2, 6))
          .extracting(r -> java.nio.ByteBuffer.wrap(r.headers().lastHeader("axon-message-aggregate-seq").value()).getLong())
          .containsExactly(0L, 1L, 2L, 3L);
    }
  }

  /**
   * The decisions go to the event topic, for the audit ledger, and not to the changes topic, which
   * the read model and the index read: a tenant's changes there are exactly its changes in the
   * event topic, in the same order, with the decisions left out.
   */
  @Test
  void decisions_areOnTheEventTopicOnly() {
    TestApp.Tenant tenant = app.newTenant();
    String id = MandateLifecycleIT.create(tenant);
    MandateLifecycleIT.awaitMandate(tenant, id, "ACTIVE", 0);
    // the index reads the changes topic apart from the read model: the ALLOW below needs it to have the mandate
    VerificationIndex index = app.bean(VerificationIndex.class);
    await().atMost(Duration.ofSeconds(30)).until(() -> index.find(id) != null);
    String denied = """
        {"delegate_subject_id": "monco:agent:nobody", "action": "a.b", "resource": "r:1"}""";
    assertThat(api.post(tenant, "/v1/verify", Api.ALLOWED_VERIFY).body().get("decision").asText()).isEqualTo("ALLOW");
    for (int i = 0; i < 3; i++) {
      assertThat(api.post(tenant, "/v1/verify", denied).body().get("decision").asText()).isEqualTo("DENY");
    }
    api.post(tenant, "/v1/mandates/" + id + "/suspend", "{}");

    List<String> everything = tenantRecords(app.topic, tenant.id(), 8).stream().map(KafkaTopic::type).toList();
    assertThat(everything)
        .containsExactly(
            "TenantRegisteredEvent",
            "ApiKeyIssuedEvent",
            "MandateCreatedEvent",
            "VerificationAllowedEvent",
            "VerificationDeniedEvent",
            "VerificationDeniedEvent",
            "VerificationDeniedEvent",
            "MandateSuspendedEvent");
    List<String> changes = tenantRecords(app.changesTopic(), tenant.id(), 4).stream().map(KafkaTopic::type).toList();
    assertThat(changes)
        .containsExactlyElementsOf(everything.stream().filter(t -> !t.startsWith("Verification")).toList());
  }

  /** The read model and the index are fed by the changes topic, the ledger by the event topic. */
  @Test
  void eachProcessorReadsItsTopic() {
    TestApp.Tenant tenant = app.newTenant();
    String id = MandateLifecycleIT.create(tenant);
    MandateLifecycleIT.awaitMandate(tenant, id, "ACTIVE", 0);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(topicsOf(app.kafkaToken("mandate-read-model"))).containsOnly(app.changesTopic());
      assertThat(topicsOf(app.kafkaToken("verification-index"))).containsOnly(app.changesTopic());
      assertThat(topicsOf(app.kafkaToken("audit-ledger"))).containsOnly(app.topic);
    });
  }

  /**
   * The service creates both topics with unlimited retention, set on the topic itself: a broker
   * whose default deletes old records (7 days unless configured) must not take the history the
   * consumers rebuild from.
   */
  @Test
  void bothTopicsAreCreatedWithUnlimitedRetention() throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().bootstrapServers()))) {
      for (String topic : List.of(app.topic, app.changesTopic())) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        ConfigEntry retention =
            admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource).get("retention.ms");
        assertThat(retention.value()).as(topic).isEqualTo("-1");
        assertThat(retention.source()).as(topic).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions())
            .hasSize(3);
      }
    }
  }

  private static List<String> topicsOf(KafkaTrackingToken token) {
    return token.getPositions().keySet().stream().map(tp -> tp.topic()).distinct().toList();
  }

  @Test
  void theEventStoreIsReadThroughThePacedEngine() {
    // the engine Axon's embedded event store reads, post-processed by AxonConfig: a burst of small
    // commits is read in batches at least mandate-registry.publisher.min-read-interval apart
    assertThat(app.bean(EventStorageEngine.class).getClass().getSimpleName())
        .isEqualTo("PacedEventStorageEngine");
  }

  @Test
  void theEventStoreUnlinksWhatItsCacheDrops_andEachConsumerBuffersInATree() throws Exception {
    // ADR 0006: removed entries of neither queue may keep later ones alive across young collections
    assertThat(app.bean(EventStore.class).getClass().getSimpleName()).isEqualTo("UnlinkingEventStore");
    for (String source : List.of("streamableKafkaMessageSource", "changesKafkaSource")) {
      Field factory = StreamableKafkaMessageSource.class.getDeclaredField("bufferFactory");
      factory.setAccessible(true);
      Supplier<?> buffers = (Supplier<?>) factory.get(app.context.getBean(source));
      assertThat(buffers.get()).as(source).isInstanceOf(FetchOrderRecordBuffer.class)
          .hasToString("FetchOrderRecordBuffer{size=0, capacity=1000}");
    }
  }

  @Test
  void redeliveredEvent_changesNothing() {
    TestApp.Tenant tenant = app.newTenant();
    String id = MandateLifecycleIT.create(tenant);
    api.post(tenant, "/v1/mandates/" + id + "/suspend", "{}");
    api.post(tenant, "/v1/mandates/" + id + "/reactivate", null);
    MandateLifecycleIT.awaitMandate(tenant, id, "ACTIVE", 2);

    // at-least-once delivery: the suspension arrives a second time, after the reactivation, on
    // the topic the read model reads
    ConsumerRecord<String, byte[]> suspended =
        tenantRecords(app.changesTopic(), tenant.id(), 5).stream()
            .filter(r -> "MandateSuspendedEvent".equals(KafkaTopic.type(r)))
            .findFirst()
            .orElseThrow();
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().bootstrapServers());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
      producer.send(
          new ProducerRecord<>(app.changesTopic(), suspended.partition(), suspended.key(), suspended.value(), suspended.headers()));
      producer.flush();
    }
    // a later event of the same tenant lands after the duplicate in the same partition
    String marker = MandateLifecycleIT.create(tenant);
    MandateLifecycleIT.awaitMandate(tenant, marker, "ACTIVE", 0);

    var read = api.get(tenant, "/v1/mandates/" + id).body();
    assertThat(read.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(read.get("version").asLong()).isEqualTo(2);
  }

  @Test
  void resetReplay_rebuildsTheReadModelFromTheTopic() {
    TestApp.Tenant tenant = app.newTenant();
    String id = MandateLifecycleIT.create(tenant);
    api.post(tenant, "/v1/mandates/" + id + "/suspend", "{}");
    MandateLifecycleIT.awaitMandate(tenant, id, "SUSPENDED", 1);
    app.jdbc().update("UPDATE mandate_view SET status = 'REVOKED' WHERE mandate_id = ?", id);
    assertThat(api.get(tenant, "/v1/mandates/" + id).body().get("status").asText()).isEqualTo("REVOKED");

    TrackingEventProcessor processor =
        app.bean(EventProcessingConfiguration.class)
            .eventProcessor("mandate-read-model", TrackingEventProcessor.class)
            .orElseThrow();
    processor.shutDown();
    processor.resetTokens();
    Integer rows = app.jdbc().queryForObject("SELECT count(*) FROM mandate_view", Integer.class);
    assertThat(rows).as("@ResetHandler empties the table").isZero();
    processor.start();

    MandateLifecycleIT.awaitMandate(tenant, id, "SUSPENDED", 1);
  }

}

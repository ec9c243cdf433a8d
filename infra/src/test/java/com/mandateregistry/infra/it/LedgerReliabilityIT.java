package com.mandateregistry.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mandateregistry.crypto.KeyedSignature;
import com.mandateregistry.crypto.Signer;
import com.mandateregistry.crypto.SigningException;
import com.mandateregistry.crypto.SigningKeys;
import com.mandateregistry.crypto.kms.InMemoryKmsClient;
import com.mandateregistry.crypto.kms.KmsSigner;
import com.mandateregistry.infra.axon.PipelineHealth;
import com.mandateregistry.ledger.ChainHeadMismatchException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.lang3.exception.ExceptionUtils;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ledger under failure, signing with the KMS signer on the {@link InMemoryKmsClient} test double
 * (real P-256 keys): KMS down, redelivered records, a replay on a second node, a tampered table.
 */
class LedgerReliabilityIT {

  private static final Map<String, Object> FAST_RETRY =
      Map.of("mandate-registry.ledger.retry-initial-backoff", "50ms",
          "mandate-registry.ledger.retry-max-backoff", "300ms",
          "mandate-registry.ledger.retry-in-transaction", "1s");

  private static InMemoryKmsClient kms;
  private static CountingSigner signer;
  private static SigningKeys keys;
  private static TestApp app;

  @BeforeAll
  static void start() throws SigningException {
    kms = new InMemoryKmsClient(Clock.systemUTC());
    KmsSigner kmsSigner = KmsSigner.create(kms, kms.createSigningKey());
    signer = new CountingSigner(kmsSigner);
    keys = SigningKeys.of(signer, List.of(kmsSigner.publicKeyInfo()));
    TestInfrastructure infra = TestInfrastructure.get();
    app = TestApp.start(infra.newDatabase(), infra.newTopic(), FAST_RETRY, keys);
  }

  @AfterAll
  static void stop() {
    kms.setAvailable(true);
    app.close();
  }

  @Test
  void whileKmsIsDown_theLedgerPausesWithoutSkipping_thenCatchesUpInOrder() {
    TestApp.Tenant tenant = app.newTenant();
    AuditTrailIT.awaitEvents(app, tenant, 2);

    kms.setAvailable(false);
    try {
      int attempts = signer.attempts.get();
      int failures = signer.failures.get();
      String id = MandateLifecycleIT.createOn(app, tenant);
      assertThat(app.api.post(tenant, "/v1/mandates/" + id + "/suspend", "{}").status()).isEqualTo(200);
      assertThat(app.api.post(tenant, "/v1/mandates/" + id + "/reactivate", null).status()).isEqualTo(200);
      // writes are acknowledged and the read model follows; only the ledger waits for its signer
      MandateLifecycleIT.awaitMandateOn(app, tenant, id, "ACTIVE", 2);
      await().atMost(Duration.ofSeconds(30)).until(() -> signer.failures.get() >= failures + 3);
      assertThat(signer.attempts.get()).isGreaterThan(attempts);
      // the ledger retries inside its transaction for 1 s at most; then the processor retries
      // outside any: for 5 s of the outage, no transaction of the service is older than 3 s
      // (before, the ledger's stayed open for the whole outage)
      await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
          .until(() -> app.jdbc().queryForObject(
              "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                  + " AND xact_start < now() - interval '3 seconds' AND pid <> pg_backend_pid()",
              Integer.class) == 0);
      assertThat(AuditTrailIT.allEvents(app, tenant, "/v1/events")).hasSize(2);
      // the health endpoint says so (still 200), and names the ledger to the log and the bean
      assertThat(PipelineHealthIT.healthStatus(app)).isEqualTo("DEGRADED");
      // and the processor retries the batch in Axon's error mode, outside the transaction
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
          assertThat(app.bean(PipelineHealth.class).problems())
              .hasEntrySatisfying("audit-ledger", p -> assertThat(p).contains("retrying after ")
                  .contains("waiting for the signer since ")));
    } finally {
      kms.setAvailable(true);
    }

    List<JsonNode> events = AuditTrailIT.awaitEvents(app, tenant, 5);
    assertThat(events).extracting(e -> e.get("event_type").asText())
        .containsExactly("TENANT_REGISTERED", "API_KEY_ISSUED", "MANDATE_CREATED", "MANDATE_SUSPENDED",
            "MANDATE_REACTIVATED");
    assertThat(events).extracting(e -> e.get("sequence").asLong()).containsExactly(1L, 2L, 3L, 4L, 5L);
    for (int i = 1; i < events.size(); i++) {
      assertThat(events.get(i).get("previous_event_hash").asText())
          .isEqualTo(events.get(i - 1).get("event_hash").asText());
    }
    assertThat(events).allSatisfy(e -> assertThat(e.get("key_id").asText()).isEqualTo(signer.keyId()));
    await().atMost(Duration.ofSeconds(30)).until(() -> PipelineHealthIT.healthStatus(app).equals("UP"));
  }

  @Test
  void redeliveredRecords_andAReplayFromTheStart_addNothing() {
    TestApp.Tenant tenant = app.newTenant();
    String id = MandateLifecycleIT.createOn(app, tenant);
    app.api.post(tenant, "/v1/mandates/" + id + "/revoke", "{}");
    List<JsonNode> before = AuditTrailIT.awaitEvents(app, tenant, 4);

    // at-least-once delivery after a crash: every record of the tenant arrives a second time
    List<ConsumerRecord<String, byte[]>> records =
        KafkaTopic.firstCopies(KafkaTopic.readAll(app.topic)).stream().filter(r -> tenant.id().equals(r.key())).toList();
    assertThat(records).hasSize(4);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().bootstrapServers());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
      for (ConsumerRecord<String, byte[]> r : records) {
        producer.send(new ProducerRecord<>(app.topic, r.partition(), r.key(), r.value(), r.headers()));
      }
      producer.flush();
    }
    // a later event of the same tenant lands behind the duplicates in the same partition
    String marker = MandateLifecycleIT.createOn(app, tenant);
    List<JsonNode> after = AuditTrailIT.awaitEvents(app, tenant, 5);
    assertThat(after).hasSize(5);
    assertThat(after.subList(0, 4)).isEqualTo(before);
    assertThat(after.get(4).get("mandate_id").asText()).isEqualTo(marker);

    // a replay of the whole topic (token reset) adds nothing either
    TrackingEventProcessor processor =
        app.bean(EventProcessingConfiguration.class)
            .eventProcessor("audit-ledger", TrackingEventProcessor.class)
            .orElseThrow();
    processor.shutDown();
    processor.resetTokens();
    processor.start();
    String marker2 = MandateLifecycleIT.createOn(app, tenant);
    List<JsonNode> replayed = AuditTrailIT.awaitEvents(app, tenant, 6);
    assertThat(replayed).hasSize(6);
    assertThat(replayed.subList(0, 5)).isEqualTo(after);
    assertThat(replayed.get(5).get("mandate_id").asText()).isEqualTo(marker2);
  }

  @Test
  void aSecondNodeWithAnEmptyLedger_rebuildsTheChainsFromTheTopic_withByteIdenticalHashes() {
    TestApp.Tenant tenant = app.newTenant();
    String id = MandateLifecycleIT.createOn(app, tenant);
    app.api.post(tenant, "/v1/mandates/" + id + "/suspend", "{\"reason\": \"ünïcödé ✓ \\\"quoted\\\"\"}");
    List<JsonNode> original = AuditTrailIT.awaitEvents(app, tenant, 4);

    try (TestApp second =
        TestApp.start(TestInfrastructure.get().newDatabase(), app.topic, FAST_RETRY, keys)) {
      List<Map<String, Object>> rebuilt =
          await().atMost(Duration.ofSeconds(60)).until(
              () -> second.jdbc().queryForList(
                  "SELECT sequence, event_id, event_hash, previous_event_hash, details FROM ledger_entry"
                      + " WHERE tenant_id = ? ORDER BY sequence", tenant.id()),
              rows -> rows.size() >= 4);
      assertThat(rebuilt).hasSize(4);
      for (int i = 0; i < 4; i++) {
        JsonNode e = original.get(i);
        Map<String, Object> row = rebuilt.get(i);
        assertThat(row.get("event_id")).isEqualTo(e.get("event_id").asText());
        assertThat(row.get("event_hash")).isEqualTo(e.get("event_hash").asText());
        assertThat(row.get("previous_event_hash")).isEqualTo(e.get("previous_event_hash").asText());
      }
      assertThat(rebuilt.get(3).get("details").toString()).contains("ünïcödé ✓");
    }
  }

  @Test
  void anEditedEntry_stopsTheServiceFromStarting_withAClearMessage() throws Exception {
    TestInfrastructure infra = TestInfrastructure.get();
    String jdbcUrl = infra.newDatabase();
    String topic = infra.newTopic();
    TestApp.Tenant tenant;
    try (TestApp node = TestApp.start(jdbcUrl, topic, FAST_RETRY, keys)) {
      tenant = node.newTenant();
      MandateLifecycleIT.createOn(node, tenant);
      AuditTrailIT.awaitEvents(node, tenant, 3);
    }
    // a restart of an intact ledger is fine
    try (TestApp node = TestApp.start(jdbcUrl, topic, FAST_RETRY, keys)) {
      assertThat(AuditTrailIT.allEvents(node, tenant, "/v1/events")).hasSize(3);
    }

    Properties credentials = new Properties();
    credentials.setProperty("user", infra.username());
    credentials.setProperty("password", infra.password());
    try (Connection c = DriverManager.getConnection(jdbcUrl, credentials);
        Statement s = c.createStatement()) {
      // only someone who can switch the append-only trigger off gets this far
      s.execute("ALTER TABLE ledger_entry DISABLE TRIGGER ledger_entry_append_only");
      s.execute("UPDATE ledger_entry SET details = replace(details, 'monco:agent:a1', 'monco:agent:zz')"
          + " WHERE tenant_id = '" + tenant.id() + "' AND sequence = 3");
      s.execute("ALTER TABLE ledger_entry ENABLE TRIGGER ledger_entry_append_only");
    }

    assertThatThrownBy(() -> TestApp.start(jdbcUrl, topic, FAST_RETRY, keys).close())
        .satisfies(e -> {
          Throwable root = ExceptionUtils.getThrowableList(e).stream()
              .filter(ChainHeadMismatchException.class::isInstance)
              .findFirst()
              .orElseThrow(() -> new AssertionError("no ChainHeadMismatchException in", e));
          assertThat(root.getMessage())
              .startsWith("chain head mismatch for tenant " + tenant.id() + " at sequence 3: got ");
        });
  }

  /** Test-only decorator: counts sign attempts and failures of the signer it wraps. */
  static final class CountingSigner implements Signer {
    final AtomicInteger attempts = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    private final Signer delegate;

    CountingSigner(Signer delegate) {
      this.delegate = delegate;
    }

    @Override
    public KeyedSignature sign(byte[] data) throws SigningException {
      attempts.incrementAndGet();
      try {
        return delegate.sign(data);
      } catch (SigningException e) {
        failures.incrementAndGet();
        throw e;
      }
    }

    @Override
    public String keyId() {
      return delegate.keyId();
    }
  }
}

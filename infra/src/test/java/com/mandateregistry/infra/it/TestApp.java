package com.mandateregistry.infra.it;

import static org.awaitility.Awaitility.await;

import com.mandateregistry.api.EventMetadata;
import com.mandateregistry.api.Ids;
import com.mandateregistry.api.tenant.RegisterTenantCommand;
import com.mandateregistry.crypto.SigningKeys;
import com.mandateregistry.infra.MandateRegistryApplication;
import com.mandateregistry.infra.config.RegistryProperties;
import com.mandateregistry.infra.security.ApiKeyCredentials;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaTrackingToken;
import org.awaitility.Awaitility;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Test-only helper: the whole service, started like production against "external" PostgreSQL and
 * Kafka (the {@link TestInfrastructure}), on a random port.
 */
final class TestApp implements AutoCloseable {

  static {
    // an await without its own atMost waits 30 s, not Awaitility's 10: asynchronous steps (the
    // publisher, the index, the ledger) can take longer than 10 s on a loaded CI machine, and a
    // condition that does not hold fails all the same
    Awaitility.setDefaultTimeout(Duration.ofSeconds(30));
  }

  private static TestApp shared;

  final ConfigurableApplicationContext context;
  final String jdbcUrl;
  final String topic;
  final Api api;

  private TestApp(ConfigurableApplicationContext context, String jdbcUrl, String topic) {
    this.context = context;
    this.jdbcUrl = jdbcUrl;
    this.topic = topic;
    int port = ((ServletWebServerApplicationContext) context).getWebServer().getPort();
    this.api = new Api("http://127.0.0.1:" + port);
  }

  /** One application for all tests that only need isolation by tenant. */
  static synchronized TestApp shared() {
    if (shared == null) {
      TestInfrastructure infra = TestInfrastructure.get();
      shared = start(infra.newDatabase(), infra.newTopic(), Map.of());
      shared.awaitVerificationReady();
    }
    return shared;
  }

  /**
   * Waits until this node answers a verification with 200: a node answers 503 until its index has
   * caught up once after the start (then for good), which a test whose first verification expects
   * a decision must not meet. Asks as a tenant of its own, so that no test's trail or topic holds
   * the probe's decision.
   */
  void awaitVerificationReady() {
    Tenant probe = newTenant();
    String request =
        """
        {"delegate_subject_id": "monco:agent:readiness-probe", "action": "construction.validation.approve",
         "resource": "monco:project:p1/zone:EG"}
        """;
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
        .until(() -> api.post(probe, "/v1/verify", request).status() == 200);
  }

  /** Starts the service on the given database and topic, with extra properties. */
  static TestApp start(String jdbcUrl, String topic, Map<String, Object> extra) {
    return start(jdbcUrl, topic, extra, null);
  }

  /**
   * As {@link #start(String, String, Map)}, for a test that started a server of its own for the
   * service (a broker, a database): when the service does not start, the server is closed rather
   * than left running.
   */
  static TestApp startOrClose(AutoCloseable server, String jdbcUrl, String topic, Map<String, Object> extra)
      throws Exception {
    try {
      return start(jdbcUrl, topic, extra);
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
  }

  /**
   * As {@link #start(String, String, Map)}, signing with {@code signingKeys} (for example a KMS
   * signer on the {@code InMemoryKmsClient} test double) instead of the configured provider.
   */
  static TestApp start(String jdbcUrl, String topic, Map<String, Object> extra, SigningKeys signingKeys) {
    TestInfrastructure infra = TestInfrastructure.get();
    Map<String, Object> props = new HashMap<>();
    props.put("mandate-registry.embedded.enabled", false);
    props.put("mandate-registry.dev-tenant", false);
    props.put("mandate-registry.cursor-secret", "integration-test-cursor-secret");
    props.put("mandate-registry.topic", topic);
    props.put("mandate-registry.topic-partitions", 3);
    props.put("spring.datasource.url", jdbcUrl);
    props.put("spring.datasource.username", infra.username());
    props.put("spring.datasource.password", infra.password());
    props.put("spring.datasource.hikari.maximum-pool-size", 8);
    props.put("axon.kafka.bootstrap-servers", infra.bootstrapServers());
    props.put("server.port", 0);
    props.put("db-scheduler.polling-interval", "500ms");
    props.putAll(extra);
    String[] args =
        props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    SpringApplicationBuilder builder = new SpringApplicationBuilder(MandateRegistryApplication.class);
    if (signingKeys != null) {
      builder.initializers(c -> c.getBeanFactory().registerSingleton("testSigningKeys", signingKeys));
    }
    // closed by the test, or at the JVM's exit before the infrastructure stops (not by a shutdown
    // hook of its own, which would race the infrastructure's and leave Kafka clients reconnecting)
    builder.registerShutdownHook(false);
    ConfigurableApplicationContext context = builder.run(args);
    TestApp app = new TestApp(context, jdbcUrl, topic);
    infra.closeBeforeStopping(app);
    return app;
  }

  <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  /** The topic the read model and the index read: every event but the verification decisions. */
  String changesTopic() {
    return bean(RegistryProperties.class).changesTopic();
  }

  /** The tracking event processor of this name ({@code mandate-read-model}, {@code verification-index}, …). */
  TrackingEventProcessor trackingProcessor(String name) {
    return bean(EventProcessingConfiguration.class)
        .eventProcessor(name, TrackingEventProcessor.class)
        .orElseThrow();
  }

  /** A Kafka-fed processor's token: per partition of the topic it reads, the offset it has got to. */
  KafkaTrackingToken kafkaToken(String processor) {
    TrackingEventProcessor p = trackingProcessor(processor);
    return KafkaTrackingToken.from(p.processingStatus().get(0).getTrackingToken());
  }

  JdbcTemplate jdbc() {
    return bean(JdbcTemplate.class);
  }

  /**
   * How many events of {@code tenantId} the event store holds whose payload type contains {@code
   * payloadType} ({@code "Mandate"}, {@code "Verification"}): what a refused request must not add.
   */
  int storedEvents(String tenantId, String payloadType) {
    return jdbc()
        .queryForObject(
            "SELECT count(*) FROM domain_event_entry WHERE convert_from(meta_data, 'UTF8') LIKE ?"
                + " AND payload_type LIKE ?",
            Integer.class,
            "%" + tenantId + "%",
            "%" + payloadType + "%");
  }

  /** What {@link #slowNextEvent} set up; closing it removes it. */
  interface SlowInsert extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Makes PostgreSQL take {@code seconds} to store the next event of {@code tenantId} (a sleep in
   * a trigger, not a lock, which the sessions' lock timeout would end): to the service, a server
   * that is slow to answer. Only one test at a time may use it on a database.
   */
  SlowInsert slowNextEvent(String tenantId, int seconds) {
    jdbc().execute(
        """
        CREATE SEQUENCE test_slow_insert;
        CREATE FUNCTION test_slow_insert() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF convert_from(NEW.meta_data, 'UTF8') LIKE '%%%s%%' THEN
            IF nextval('test_slow_insert') = 1 THEN
              PERFORM pg_sleep(%d);
            END IF;
          END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER test_slow_insert BEFORE INSERT ON domain_event_entry
          FOR EACH ROW EXECUTE FUNCTION test_slow_insert();
        """.formatted(tenantId, seconds));
    return () ->
        jdbc().execute(
            """
            DROP TRIGGER test_slow_insert ON domain_event_entry;
            DROP FUNCTION test_slow_insert();
            DROP SEQUENCE test_slow_insert;
            """);
  }

  /** Registers a fresh tenant and issues it a key, as an operator would. */
  Tenant newTenant() {
    String tenantId = Ids.next(Ids.TENANT);
    Map<String, String> actor =
        Map.of(
            EventMetadata.TENANT_ID, tenantId,
            EventMetadata.ACTOR_TYPE, "system",
            EventMetadata.ACTOR_ID, "test");
    bean(CommandGateway.class)
        .sendAndWait(
            GenericCommandMessage.asCommandMessage(new RegisterTenantCommand(tenantId, "Test GmbH", "free"))
                .andMetaData(actor));
    var key = bean(ApiKeyCredentials.class).issue(tenantId, "test", ApiKeyCredentials.ALL_SCOPES, actor);
    return new Tenant(tenantId, key.keyId(), key.apiKey());
  }

  /** Another key of {@code tenant}'s, holding only {@code scopes}. */
  Tenant newKey(Tenant tenant, String... scopes) {
    Map<String, String> actor =
        Map.of(
            EventMetadata.TENANT_ID, tenant.id(),
            EventMetadata.ACTOR_TYPE, "system",
            EventMetadata.ACTOR_ID, "test");
    var key = bean(ApiKeyCredentials.class).issue(tenant.id(), "scoped", List.of(scopes), actor);
    return new Tenant(tenant.id(), key.keyId(), key.apiKey());
  }

  @Override
  public void close() {
    context.close();
    TestInfrastructure.get().forget(this);
  }

  /** A tenant and its credential. */
  record Tenant(String id, String keyId, String apiKey) {
    String bearer() {
      return "Bearer " + id + ":" + apiKey;
    }

    /** The key's secret: {@code mrk_<26-character ULID>_<secret>}; base64url, so it may hold '_'. */
    String secret() {
      return apiKey.substring("mrk_".length() + 26 + 1);
    }
  }
}

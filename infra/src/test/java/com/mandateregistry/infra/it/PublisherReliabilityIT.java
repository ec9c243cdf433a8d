package com.mandateregistry.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The three Kafka publishing traps, each shown by behaviour, plus restarts: nothing acknowledged is
 * ever lost.
 */
class PublisherReliabilityIT {

  private static List<String> typesOf(String topic, String tenantId) {
    return KafkaTopic.readAll(topic).stream()
        .filter(r -> tenantId.equals(r.key()))
        .map(KafkaTopic::type)
        .toList();
  }

  /**
   * Sends that fail (the topic does not exist and the broker does not auto-create it) stop the
   * publisher instead of skipping events: every batch waits for its acknowledgements before the token moves. Once the
   * topic exists, every event arrives, in order.
   */
  @Test
  void failedSends_areRetried_notSkipped() throws Exception {
    TestInfrastructure infra = TestInfrastructure.get();
    String topic = infra.newTopic();
    try (TestApp app = TestApp.start(infra.newDatabase(), topic, Map.of("mandate-registry.create-topic", false))) {
      Logger publisherLog = (Logger) LoggerFactory.getLogger("com.mandateregistry.infra.axon.BatchConfirmingKafkaPublisher");
      ListAppender<ILoggingEvent> failures = new ListAppender<>();
      failures.start();
      publisherLog.addAppender(failures);
      TestApp.Tenant tenant = app.newTenant();
      String id = MandateLifecycleIT.createOn(app, tenant);
      try {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> failures.list.stream().anyMatch(e -> e.getLevel() == Level.WARN));
      } finally {
        publisherLog.detachAppender(failures);
      }
      assertThat(app.api.get(tenant, "/v1/mandates/" + id).status()).isEqualTo(404);

      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()))) {
        admin.createTopics(Set.of(new NewTopic(topic, 3, (short) 1))).all().get();
      }
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> app.api.get(tenant, "/v1/mandates/" + id).status() == 200);
      assertThat(typesOf(topic, tenant.id()))
          .containsExactly("TenantRegisteredEvent", "ApiKeyIssuedEvent", "MandateCreatedEvent");
    }
  }

  /**
   * Events stored while no publisher ran (first start of the publisher, or a node that had it
   * disabled) are still published: the publisher starts from the tail of the store. The same test
   * shows that a restart keeps all state, and that a deadline scheduled before the restart fires
   * after it.
   */
  @Test
  void eventsStoredBeforeThePublisherFirstStarts_arePublished_andRestartKeepsState() {
    TestInfrastructure infra = TestInfrastructure.get();
    String db = infra.newDatabase();
    String topic = infra.newTopic();
    TestApp.Tenant tenant;
    String kept;
    String expiring;
    try (TestApp first = TestApp.start(db, topic, Map.of("axon.kafka.publisher.enabled", false))) {
      tenant = first.newTenant();
      kept = MandateLifecycleIT.createOn(first, tenant);
      assertThat(first.api.post(tenant, "/v1/mandates/" + kept + "/suspend", "{}").status()).isEqualTo(200);
      String expiresAt = Instant.now().plusSeconds(20).toString();
      var r = first.api.post(tenant, "/v1/mandates", Api.mandateBody("monco:agent:short", expiresAt));
      assertThat(r.status()).isEqualTo(201);
      expiring = r.body().get("mandate_id").asText();
      assertThat(KafkaTopic.readAll(topic)).isEmpty();
    }

    try (TestApp second = TestApp.start(db, topic, Map.of())) {
      List<String> types =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(() -> typesOf(topic, tenant.id()), t -> t.size() >= 5);
      assertThat(types.subList(0, 5))
          .containsExactly(
              "TenantRegisteredEvent",
              "ApiKeyIssuedEvent",
              "MandateCreatedEvent",
              "MandateSuspendedEvent",
              "MandateCreatedEvent");
      MandateLifecycleIT.awaitMandateOn(second, tenant, kept, "SUSPENDED", 1);
      // the aggregate is rebuilt from the store: the next transition continues its history
      var reactivated = second.api.post(tenant, "/v1/mandates/" + kept + "/reactivate", null);
      assertThat(reactivated.status()).isEqualTo(200);
      assertThat(reactivated.body().get("version").asLong()).isEqualTo(2);
      // the credential survives too, and the expiry deadline fires after the restart
      MandateLifecycleIT.awaitMandateOn(second, tenant, expiring, "EXPIRED", 1);
      ConsumerRecord<String, byte[]> expired =
          KafkaTopic.readAll(topic).stream()
              .filter(rec -> "MandateExpiredEvent".equals(KafkaTopic.type(rec)))
              .findFirst()
              .orElseThrow();
      assertThat(KafkaTopic.header(expired, "axon-metadata-actor_type")).isEqualTo("system");
    }
  }
}

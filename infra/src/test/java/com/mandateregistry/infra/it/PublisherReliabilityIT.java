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
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The three Kafka publishing traps, each shown by behaviour, plus restarts: nothing acknowledged is
 * ever lost.
 */
class PublisherReliabilityIT {

  private static List<String> typesOf(String topic, String tenantId) {
    return KafkaTopic.firstCopies(KafkaTopic.readAll(topic)).stream()
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
            .until(
                () ->
                    // this app's refusal: the logger is shared with every app of the test JVM
                    failures.list.stream()
                        .anyMatch(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains(topic)));
      } finally {
        publisherLog.detachAppender(failures);
      }
      assertThat(app.api.get(tenant, "/v1/mandates/" + id).status()).isEqualTo(404);

      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()))) {
        admin
            .createTopics(Set.of(new NewTopic(topic, 3, (short) 1), new NewTopic(app.changesTopic(), 3, (short) 1)))
            .all()
            .get();
      }
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> app.api.get(tenant, "/v1/mandates/" + id).status() == 200);
      for (String published : List.of(topic, app.changesTopic())) {
        assertThat(typesOf(published, tenant.id()))
            .as(published)
            .containsExactly("TenantRegisteredEvent", "ApiKeyIssuedEvent", "MandateCreatedEvent");
      }
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
      assertThat(KafkaTopic.readAll(first.changesTopic())).isEmpty();
    }

    try (TestApp second = TestApp.start(db, topic, Map.of())) {
      for (String published : List.of(topic, second.changesTopic())) {
        List<String> types =
            await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> typesOf(published, tenant.id()), t -> t.size() >= 5);
        assertThat(types.subList(0, 5))
            .as(published)
            .containsExactly(
                "TenantRegisteredEvent",
                "ApiKeyIssuedEvent",
                "MandateCreatedEvent",
                "MandateSuspendedEvent",
                "MandateCreatedEvent");
      }
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

  /**
   * A deployment that ran before the changes topic existed: its event topic and its processors'
   * tokens are there, the changes topic and its publisher's token are not. On the next start the
   * changes publisher publishes every change stored so far (and no decision), the read model reads
   * the new topic from its start (idempotently: nothing moves backwards) and the index is rebuilt
   * from it.
   */
  @Test
  void aDeploymentFromBeforeTheChangesTopic_isBackfilledOnItsNextStart() {
    TestInfrastructure infra = TestInfrastructure.get();
    String db = infra.newDatabase();
    String topic = infra.newTopic();
    TestApp.Tenant tenant;
    String id;
    try (TestApp before = TestApp.start(db, topic, Map.of())) {
      tenant = before.newTenant();
      id = MandateLifecycleIT.createOn(before, tenant);
      assertThat(before.api.post(tenant, "/v1/mandates/" + id + "/suspend", "{}").status()).isEqualTo(200);
      MandateLifecycleIT.awaitMandateOn(before, tenant, id, "SUSPENDED", 1);
      // a node just started answers 503 until its index has caught up; a client retries
      Api.Response denied =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> before.api.post(tenant, "/v1/verify", Api.ALLOWED_VERIFY), r -> r.status() != 503);
      assertThat(denied.status()).as(denied.raw().body()).isEqualTo(200);
      assertThat(denied.body().get("decision").asText()).isEqualTo("DENY");
      await().atMost(Duration.ofSeconds(30)).until(() -> typesOf(topic, tenant.id()).size() >= 5);
      // as if the changes publisher had never run
      assertThat(before.jdbc().update("DELETE FROM token_entry WHERE processor_name = 'changes-publisher'"))
          .isEqualTo(1);
    }

    String newChangesTopic = infra.newTopic();
    try (TestApp after = TestApp.start(db, topic, Map.of("mandate-registry.changes-topic", newChangesTopic))) {
      List<String> changes =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(() -> typesOf(newChangesTopic, tenant.id()), t -> t.size() >= 4);
      assertThat(changes)
          .containsExactly("TenantRegisteredEvent", "ApiKeyIssuedEvent", "MandateCreatedEvent", "MandateSuspendedEvent");
      // the index, rebuilt from the new topic, knows the mandate: reactivated, it allows
      assertThat(after.api.post(tenant, "/v1/mandates/" + id + "/reactivate", null).status()).isEqualTo(200);
      MandateLifecycleIT.awaitMandateOn(after, tenant, id, "ACTIVE", 2);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> after.api.post(tenant, "/v1/verify", Api.ALLOWED_VERIFY),
              r -> r.status() == 200 && r.body().get("decision").asText().equals("ALLOW"));
      assertThat(typesOf(topic, tenant.id()))
          .startsWith("TenantRegisteredEvent", "ApiKeyIssuedEvent", "MandateCreatedEvent", "MandateSuspendedEvent",
              "VerificationDeniedEvent", "MandateReactivatedEvent");
    }
  }

  /**
   * While the changes topic is being back-filled, the index (caught up with the part already
   * published) does not answer: 503 until every change stored before the start is on the topic and
   * read, never a false {@code NO_MATCHING_MANDATE} for a mandate created before the upgrade. The
   * back-fill is held up by a claim on the publisher's token that another node left behind, until
   * Axon's claim timeout lets this node take it over.
   */
  @Test
  void whileTheChangesTopicIsBackfilled_verifyIs503_notAFalseDeny() {
    TestInfrastructure infra = TestInfrastructure.get();
    String db = infra.newDatabase();
    String topic = infra.newTopic();
    TestApp.Tenant tenant;
    try (TestApp before = TestApp.start(db, topic, Map.of())) {
      tenant = before.newTenant();
      String id = MandateLifecycleIT.createOn(before, tenant);
      MandateLifecycleIT.awaitMandateOn(before, tenant, id, "ACTIVE", 0);
      await().atMost(Duration.ofSeconds(30)).until(
          () -> before.api.post(tenant, "/v1/verify", Api.ALLOWED_VERIFY),
          r -> r.status() == 200 && r.body().get("decision").asText().equals("ALLOW"));
      // as if the changes publisher had never run, and another node had claimed it and keeps its
      // claim fresh: this node's publisher cannot take it over until the test lets the claim run
      // out below (a claim that ran out by the clock raced the next node's start: on a loaded host
      // that start took longer than the 20 s the claim lasted, and the back-fill was done already)
      assertThat(before.jdbc().update(
              "UPDATE token_entry SET token = NULL, token_type = NULL, owner = 'another-node', timestamp = ?"
                  + " WHERE processor_name = 'changes-publisher'",
              Instant.now().plus(Duration.ofDays(1)).toString()))
          .isEqualTo(1);
    }

    String newChangesTopic = infra.newTopic();
    try (TestApp after = TestApp.start(db, topic, Map.of("mandate-registry.changes-topic", newChangesTopic))) {
      // the index has read all there is on the new topic (nothing yet)
      await().atMost(Duration.ofSeconds(15)).until(() -> indexCaughtUp(after));
      assertThat(typesOf(newChangesTopic, tenant.id())).isEmpty();
      Api.Response waiting = after.api.post(tenant, "/v1/verify", Api.ALLOWED_VERIFY);
      assertThat(waiting.status()).as(waiting.raw().body()).isEqualTo(503);
      assertThat(waiting.body().get("message").asText()).contains("changes stored before the start");
      // the other node stops renewing its claim: it is older than Axon's 10-s claim timeout
      assertThat(after.jdbc().update(
              "UPDATE token_entry SET timestamp = ? WHERE processor_name = 'changes-publisher' AND owner = 'another-node'",
              Instant.now().minusSeconds(60).toString()))
          .isEqualTo(1);

      Api.Response allowed =
          await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(
              () -> after.api.post(tenant, "/v1/verify", Api.ALLOWED_VERIFY),
              r -> {
                assertThat(r.status()).as("503 or the right answer: %s", r.raw().body()).isIn(200, 503);
                if (r.status() == 200) {
                  assertThat(r.body().get("decision").asText()).as(r.raw().body()).isEqualTo("ALLOW");
                }
                return r.status() == 200;
              });
      assertThat(allowed.body().get("decision").asText()).isEqualTo("ALLOW");
      assertThat(typesOf(newChangesTopic, tenant.id()))
          .containsExactly("TenantRegisteredEvent", "ApiKeyIssuedEvent", "MandateCreatedEvent");
    }
  }

  private static boolean indexCaughtUp(TestApp app) {
    return app.bean(EventProcessingConfiguration.class)
        .eventProcessor("verification-index", TrackingEventProcessor.class)
        .map(p -> !p.processingStatus().isEmpty()
            && p.processingStatus().values().stream().allMatch(EventTrackerStatus::isCaughtUp))
        .orElse(false);
  }

  /**
   * The first step of an upgrade of a large store (ADR 0005): the read model and the index stay on
   * the event topic, by configuration alone, while the changes publisher back-fills the changes
   * topic; decisions on that topic are read and ignored, and both still serve correctly.
   */
  @Test
  void theReadModelAndTheIndexCanStayOnTheEventTopic_byConfiguration() {
    TestInfrastructure infra = TestInfrastructure.get();
    String topic = infra.newTopic();
    Map<String, Object> onEventTopic =
        Map.of(
            "axon.eventhandling.processors.verification-index.source", "streamableKafkaMessageSource",
            "axon.eventhandling.processors.mandate-read-model.source", "streamableKafkaMessageSource");
    try (TestApp app = TestApp.start(infra.newDatabase(), topic, onEventTopic)) {
      TestApp.Tenant tenant = app.newTenant();
      String id = MandateLifecycleIT.createOn(app, tenant);
      MandateLifecycleIT.awaitMandateOn(app, tenant, id, "ACTIVE", 0);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> app.api.post(tenant, "/v1/verify", Api.ALLOWED_VERIFY),
              r -> r.status() == 200 && r.body().get("decision").asText().equals("ALLOW"));
      // decisions on the topic they read change nothing; a later change still arrives
      assertThat(app.api.post(tenant, "/v1/mandates/" + id + "/suspend", "{}").status()).isEqualTo(200);
      MandateLifecycleIT.awaitMandateOn(app, tenant, id, "SUSPENDED", 1);
      for (String processor : List.of("mandate-read-model", "verification-index")) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(app.kafkaToken(processor).getPositions().keySet())
                .as(processor)
                .isNotEmpty()
                .allMatch(tp -> tp.topic().equals(topic)));
      }
      // and the changes topic is filled all the same, ready for the second step
      await().atMost(Duration.ofSeconds(30)).until(() -> typesOf(app.changesTopic(), tenant.id()).size() >= 4);
    }
  }

}

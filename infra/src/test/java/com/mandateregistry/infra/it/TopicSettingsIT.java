package com.mandateregistry.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/**
 * The service refuses to start on a topic that would lose records (a retention limit, compaction)
 * or refuse the largest event (a small {@code max.message.bytes}), naming the topic and the
 * setting; the read model, the index and the ledger rebuild from the whole topic.
 */
class TopicSettingsIT {

  private static void createTopic(String name, Map<String, String> config) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(name, 3, (short) 1).configs(config))).all().get(30, TimeUnit.SECONDS);
    }
  }

  private static void assertRefused(String topic, Map<String, Object> extra, String... expected) {
    TestInfrastructure infra = TestInfrastructure.get();
    assertThatThrownBy(() -> TestApp.start(infra.newDatabase(), topic, extra).close())
        .rootCause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Kafka topics with settings this service cannot use")
        .hasMessageContainingAll(expected);
  }

  @Test
  void anEventTopicWithARetentionLimit_stopsTheStart() throws Exception {
    String topic = TestInfrastructure.get().newTopic();
    createTopic(topic, Map.of("retention.ms", "604800000"));
    // the missing changes topic is created as usual; the existing event topic is refused
    assertRefused(topic, Map.of(), "topic " + topic + ": retention.ms=604800000 must be -1");
  }

  @Test
  void aCompactedChangesTopic_stopsTheStart() throws Exception {
    String topic = TestInfrastructure.get().newTopic();
    createTopic(topic, Map.of("retention.ms", "-1"));
    createTopic(topic + ".changes", Map.of("retention.ms", "-1", "cleanup.policy", "compact"));
    assertRefused(topic, Map.of(), "topic " + topic + ".changes: cleanup.policy=compact must be delete");
  }

  @Test
  void aTopicTooSmallForTheLargestEvent_stopsTheStart_alsoWhenTopicsAreNotCreated() throws Exception {
    String topic = TestInfrastructure.get().newTopic();
    createTopic(topic, Map.of("retention.ms", "-1", "max.message.bytes", "100000"));
    assertRefused(
        topic,
        Map.of("mandate-registry.create-topic", false),
        "topic " + topic + ": max.message.bytes=100000 must be at least 524288");
  }

  @Test
  void aTopicCreatedByHandAsDocumented_isTaken() throws Exception {
    String topic = TestInfrastructure.get().newTopic();
    createTopic(topic, Map.of("retention.ms", "-1"));
    createTopic(topic + ".changes", Map.of("retention.ms", "-1"));
    TestInfrastructure infra = TestInfrastructure.get();
    try (TestApp app = TestApp.start(infra.newDatabase(), topic, Map.of("mandate-registry.create-topic", false))) {
      TestApp.Tenant tenant = app.newTenant();
      MandateLifecycleIT.awaitMandateOn(app, tenant, MandateLifecycleIT.createOn(app, tenant), "ACTIVE", 0);
      assertThat(app.changesTopic()).isEqualTo(topic + ".changes");
    }
  }
}

package com.mandateregistry.infra.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaTopicsTest {

  /** A topic as the service creates it, with the broker's defaults for the rest. */
  private static Map<String, String> created() {
    Map<String, String> config = new HashMap<>();
    config.put("cleanup.policy", "delete");
    config.put("retention.ms", "-1");
    config.put("retention.bytes", "-1");
    config.put("max.message.bytes", "1048588");
    return config;
  }

  private static Map<String, String> with(String key, String value) {
    Map<String, String> config = created();
    config.put(key, value);
    return config;
  }

  @Test
  void aTopicAsTheServiceCreatesIt_hasNoProblem() {
    assertThat(KafkaTopics.problems(created())).isEmpty();
    assertThat(KafkaTopics.problems(Map.of())).as("nothing described, nothing to refuse").isEmpty();
  }

  @Test
  void compaction_isRefused() {
    assertThat(KafkaTopics.problems(with("cleanup.policy", "compact")))
        .singleElement(STRING)
        .startsWith("cleanup.policy=compact must be delete");
    assertThat(KafkaTopics.problems(with("cleanup.policy", "compact,delete"))).hasSize(1);
  }

  @Test
  void anyRetentionLimit_isRefused() {
    assertThat(KafkaTopics.problems(with("retention.ms", "604800000")))
        .containsExactly("retention.ms=604800000 must be -1: records must never be deleted");
    assertThat(KafkaTopics.problems(with("retention.bytes", "1073741824")))
        .containsExactly("retention.bytes=1073741824 must be -1: records must never be deleted");
  }

  @Test
  void aMessageLimitBelowTwiceTheLargestEvent_isRefused() {
    assertThat(KafkaTopics.problems(with("max.message.bytes", String.valueOf(KafkaTopics.MIN_MESSAGE_BYTES))))
        .isEmpty();
    assertThat(KafkaTopics.problems(with("max.message.bytes", String.valueOf(KafkaTopics.MIN_MESSAGE_BYTES - 1))))
        .singleElement(STRING)
        .startsWith("max.message.bytes=524287 must be at least 524288");
    assertThat(KafkaTopics.problems(with("max.message.bytes", "lots"))).as("unreadable").hasSize(1);
  }

  @Test
  void everyProblem_isNamed() {
    Map<String, String> config = with("cleanup.policy", "compact");
    config.put("retention.ms", "1000");
    config.put("max.message.bytes", "1000");
    assertThat(KafkaTopics.problems(config))
        .extracting(p -> p.substring(0, p.indexOf('=')))
        .containsExactly("cleanup.policy", "retention.ms", "max.message.bytes");
  }
}

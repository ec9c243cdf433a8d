package com.mandateregistry.infra.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** Bad {@code mandate-registry.*} values stop the start with a message naming the property. */
class RegistryPropertiesTest {

  private static RegistryProperties with(int partitions, DataSize maxBody) {
    return new RegistryProperties(Path.of("./data"), "t", "", partitions, true, "", maxBody, false);
  }

  private static RegistryProperties topics(String topic, String changesTopic) {
    return new RegistryProperties(
        Path.of("./data"), topic, changesTopic, 6, true, "", DataSize.ofKilobytes(64), false);
  }

  @Test
  void theDefaultsAndTheBoundsAreAccepted() {
    assertThat(with(6, DataSize.ofKilobytes(64)).maxBodySize()).isEqualTo(DataSize.ofKilobytes(64));
    assertThat(with(1, DataSize.ofKilobytes(1)).topicPartitions()).isEqualTo(1);
    assertThat(with(1, DataSize.ofMegabytes(16)).maxBodySize()).isEqualTo(DataSize.ofMegabytes(16));
  }

  @Test
  void noPartitions_isRefused() {
    assertThatThrownBy(() -> with(0, DataSize.ofKilobytes(64)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mandate-registry.topic-partitions must be at least 1");
  }

  @Test
  void aBodyCapOutside1KbTo16Mb_isRefused() {
    assertThatThrownBy(() -> with(6, DataSize.ofBytes(0)))
        .hasMessageContaining("mandate-registry.max-body-size must be from 1KB to 16MB");
    assertThatThrownBy(() -> with(6, DataSize.ofGigabytes(10)))
        .hasMessageContaining("mandate-registry.max-body-size");
  }

  @Test
  void theChangesTopic_defaultsToTheEventTopicsNameAndChanges() {
    assertThat(topics("orders.events", "").changesTopic()).isEqualTo("orders.events.changes");
    assertThat(topics("orders.events", "  ").changesTopic()).isEqualTo("orders.events.changes");
    assertThat(topics("orders.events", "orders.state").changesTopic()).isEqualTo("orders.state");
  }

  @Test
  void theChangesTopic_mustDifferFromTheEventTopic_andTheEventTopicMustBeNamed() {
    assertThatThrownBy(() -> topics("same", "same"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mandate-registry.changes-topic must differ from mandate-registry.topic");
    assertThatThrownBy(() -> topics(" ", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mandate-registry.topic must not be blank");
  }
}

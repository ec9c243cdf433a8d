package com.mandateregistry.infra.config;

import com.mandateregistry.api.Settings;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The {@code mandate-registry.*} properties. The README lists each one with its environment
 * variable.
 *
 * @param dataDir where the embedded stack and the local signing key keep their state
 * @param topic the Kafka topic every stored event is published to, keyed by tenant id (the audit
 *     ledger reads it)
 * @param changesTopic the Kafka topic every stored event but the verification decisions is
 *     published to as well, keyed by tenant id (the mandate read model and the verification index
 *     read it); blank means the event topic's name followed by {@code .changes}
 * @param topicPartitions partitions of each topic when the service creates it
 * @param createTopic whether the service creates the topics on start when they are missing
 * @param cursorSecret HMAC secret of pagination cursors; every node must share it
 * @param maxBodySize requests with a larger body are refused with 400
 * @param devTenant whether the first start creates a development tenant and prints its key
 */
@ConfigurationProperties("mandate-registry")
public record RegistryProperties(
    @DefaultValue("./data") Path dataDir,
    @DefaultValue("mandate-registry.events") String topic,
    @DefaultValue("") String changesTopic,
    @DefaultValue("6") int topicPartitions,
    @DefaultValue("true") boolean createTopic,
    @DefaultValue("") String cursorSecret,
    @DefaultValue("64KB") DataSize maxBodySize,
    @DefaultValue("false") boolean devTenant) {

  /** The smallest and largest {@code max-body-size}: AuthZEN batches of 100 need some room. */
  static final DataSize MIN_BODY = DataSize.ofKilobytes(1);

  static final DataSize MAX_BODY = DataSize.ofMegabytes(16);

  public RegistryProperties {
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException("mandate-registry.topic must not be blank");
    }
    if (changesTopic == null || changesTopic.isBlank()) {
      changesTopic = topic + ".changes";
    }
    if (changesTopic.equals(topic)) {
      throw new IllegalArgumentException(
          "mandate-registry.changes-topic must differ from mandate-registry.topic, both are " + topic);
    }
    Settings.atLeast("mandate-registry.topic-partitions", topicPartitions, 1);
    if (maxBodySize.compareTo(MIN_BODY) < 0 || maxBodySize.compareTo(MAX_BODY) > 0) {
      throw new IllegalArgumentException(
          "mandate-registry.max-body-size must be from 1KB to 16MB, got " + maxBodySize);
    }
  }
}

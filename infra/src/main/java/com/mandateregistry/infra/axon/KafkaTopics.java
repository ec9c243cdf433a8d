package com.mandateregistry.infra.axon;

import com.mandateregistry.api.mandate.MandateLimits;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event topic and the changes topic on start: created when missing (if creation is enabled),
 * and refused when their settings would lose records or refuse events.
 *
 * <p>The read model, the verification index and the audit ledger rebuild from the whole topic (the
 * index on every start), so a topic must keep every record: a retention limit silently drops old
 * mandates from the next rebuild, and compaction keeps only the newest record of each key, which
 * is the tenant. And a topic must take the largest event a request can store, or the publishers,
 * which retry an event and never skip it, stop for every tenant.
 */
final class KafkaTopics {

  private static final Logger log = LoggerFactory.getLogger(KafkaTopics.class);

  /** What the service sets on a topic it creates: keep every record. */
  static final Map<String, String> CREATE_CONFIG = Map.of("retention.ms", "-1");

  /**
   * The smallest {@code max.message.bytes} taken: twice the largest event a request can store
   * (about 215 KB, {@link MandateLimits}), with room for the record's headers.
   */
  static final int MIN_MESSAGE_BYTES = 512 * 1024;

  private KafkaTopics() {}

  /**
   * Creates the missing {@code topics} when {@code create} is set, then checks every one that
   * exists. A topic still missing is left to the publishers, which retry until it exists.
   *
   * @throws IllegalStateException naming each topic and setting that is wrong, or when Kafka does
   *     not answer within 30 s
   */
  static void ensure(String bootstrapServers, List<String> topics, int partitions, boolean create) {
    String names = String.join(", ", topics);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<String> missing = topics.stream().filter(t -> !existing.contains(t)).toList();
      if (create && !missing.isEmpty()) {
        create(admin, missing, partitions);
        missing = List.of();
      }
      for (String topic : missing) {
        log.warn(
            "Kafka topic {} does not exist; the publishers retry until it does (create it with"
                + " retention.ms=-1, or set mandate-registry.create-topic=true)",
            topic);
      }
      List<String> present = topics.stream().filter(t -> create || existing.contains(t)).toList();
      check(admin, present);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot create or describe Kafka topics " + names, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Kafka did not answer while creating or describing " + names, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating or describing " + names, e);
    }
  }

  private static void create(Admin admin, List<String> missing, int partitions)
      throws ExecutionException, InterruptedException, TimeoutException {
    short replication = (short) Math.min(3, admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size());
    var created =
        admin.createTopics(
            missing.stream().map(t -> new NewTopic(t, partitions, replication).configs(CREATE_CONFIG)).toList());
    for (var result : created.values().entrySet()) {
      try {
        result.getValue().get(30, TimeUnit.SECONDS);
        log.info("created Kafka topic {} with {} partitions", result.getKey(), partitions);
      } catch (ExecutionException e) {
        if (!(Optional.ofNullable(e.getCause()).orElse(e) instanceof TopicExistsException)) {
          throw new IllegalStateException("cannot create Kafka topic " + result.getKey(), e);
        }
      }
    }
  }

  private static void check(Admin admin, Collection<String> topics)
      throws ExecutionException, InterruptedException, TimeoutException {
    if (topics.isEmpty()) {
      return;
    }
    List<ConfigResource> resources =
        topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
    Map<ConfigResource, Config> configs;
    try {
      configs = describe(admin, resources);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthorizationException) {
        log.warn(
            "cannot check the settings of Kafka topics {} (not authorized to describe their"
                + " configuration); they must keep every record (retention.ms=-1) and take"
                + " records of {} bytes",
            topics,
            MIN_MESSAGE_BYTES);
        return;
      }
      throw e;
    }
    List<String> refusals = new ArrayList<>();
    for (ConfigResource resource : resources) {
      Map<String, String> values =
          configs.get(resource).entries().stream()
              .filter(e -> e.value() != null)
              .collect(Collectors.toMap(ConfigEntry::name, ConfigEntry::value));
      List<String> problems = problems(values);
      if (!problems.isEmpty()) {
        refusals.add("topic " + resource.name() + ": " + String.join("; ", problems));
      }
    }
    if (!refusals.isEmpty()) {
      throw new IllegalStateException(
          "Kafka topics with settings this service cannot use: "
              + String.join(". ", refusals)
              + ". The read model, the verification index and the audit ledger rebuild from the"
              + " whole topic, and every event must fit in it; change the topic's configuration"
              + " (kafka-configs --alter --entity-type topics) and start again");
    }
  }

  /**
   * The topics' configurations. A topic just created may not be known yet to the broker that
   * answers (in a cluster of several), so an unknown topic is asked for again, for up to 30 s.
   */
  private static Map<ConfigResource, Config> describe(Admin admin, List<ConfigResource> resources)
      throws ExecutionException, InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() - deadline > 0) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  /** What is wrong with a topic's configuration for this service; empty when nothing is. */
  static List<String> problems(Map<String, String> config) {
    List<String> problems = new ArrayList<>();
    String policy = config.get("cleanup.policy");
    if (policy != null && !policy.equals("delete")) {
      problems.add(
          "cleanup.policy=" + policy + " must be delete: compaction keeps only the newest record of"
              + " each tenant");
    }
    for (String retention : List.of("retention.ms", "retention.bytes")) {
      String value = config.get(retention);
      if (value != null && !value.equals("-1")) {
        problems.add(retention + "=" + value + " must be -1: records must never be deleted");
      }
    }
    String maxMessage = config.get("max.message.bytes");
    if (maxMessage != null && parse(maxMessage) < MIN_MESSAGE_BYTES) {
      problems.add(
          "max.message.bytes=" + maxMessage + " must be at least " + MIN_MESSAGE_BYTES
              + ": the largest event a request can store must fit");
    }
    return problems;
  }

  private static long parse(String number) {
    try {
      return Long.parseLong(number.trim());
    } catch (NumberFormatException e) {
      return Long.MIN_VALUE;
    }
  }
}

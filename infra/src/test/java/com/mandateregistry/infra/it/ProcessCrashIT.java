package com.mandateregistry.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's own jar, run as the README says, is killed with SIGKILL while clients create
 * mandates and verify, and started again on the same data directory. Every write and every
 * decision it had acknowledged is there after the restart: in the read model, and in the tenant's
 * audit trail, whose sequence has no gap.
 */
class ProcessCrashIT {

  private static final Pattern TENANT = Pattern.compile("tenant id: (tnt_\\w+)");
  private static final Pattern KEY = Pattern.compile("api key:\\s+(mrk_\\S+)");

  @TempDir Path dir;

  /** The jar the build's package phase made (integration tests run after it). */
  private static Path jar() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      return files
          .filter(p -> p.getFileName().toString().matches("infra-.*\\.jar"))
          .filter(p -> !p.getFileName().toString().endsWith("-plain.jar"))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("run the package phase first: no target/infra-*.jar"));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private final class Service {
    final Process process;
    final Path log;
    final Api api;

    Service(int postgresPort, int kafkaPort, int httpPort, String name) throws IOException, InterruptedException {
      log = dir.resolve(name + ".log");
      process =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx1g",
                  "-jar",
                  jar().toAbsolutePath().toString(),
                  "--mandate-registry.data-dir=" + dir.resolve("data"),
                  "--mandate-registry.embedded.postgres-port=" + postgresPort,
                  "--mandate-registry.embedded.kafka-port=" + kafkaPort,
                  "--server.port=" + httpPort)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      api = new Api("http://127.0.0.1:" + httpPort);
      try {
        await()
            .atMost(Duration.ofSeconds(180))
            .pollInterval(Duration.ofMillis(250))
            .until(
                () -> {
                  assertThat(process.isAlive()).as("the service exited; its log: %s", log).isTrue();
                  return health().equals("UP");
                });
      } catch (RuntimeException | Error e) {
        stop();
        throw e;
      }
    }

    /** SIGTERM, as Ctrl-C: the service closes, its embedded PostgreSQL with it. */
    void stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }

    String health() {
      try {
        Api.Response r = api.get(null, "/actuator/health");
        return r.body() == null ? "" : r.body().path("status").asText();
      } catch (UncheckedIOException e) {
        return "";
      }
    }

    String output() throws IOException {
      return Files.readString(log, StandardCharsets.UTF_8);
    }
  }

  @Test
  void afterSigkill_everythingAcknowledgedIsThere_andTheTrailHasNoGap() throws Exception {
    int postgresPort = freePort();
    int kafkaPort = freePort();
    int httpPort = freePort();
    Service first = new Service(postgresPort, kafkaPort, httpPort, "first");
    Service second = null;
    try {
      String banner = first.output();
      Matcher tenantId = TENANT.matcher(banner);
      Matcher key = KEY.matcher(banner);
      assertThat(tenantId.find() && key.find()).as("the development tenant's banner").isTrue();
      TestApp.Tenant tenant = new TestApp.Tenant(tenantId.group(1), null, key.group(1));
      Api api = first.api;
      Api.Response seed = api.post(tenant, "/v1/mandates", Api.mandateBody("monco:agent:a1", null));
      assertThat(seed.status()).isEqualTo(201);
      String verify =
          """
          {"delegate_subject_id": "monco:agent:a1", "action": "construction.validation.approve",
           "resource": "monco:project:p1/zone:EG", "context": {"amount": 10, "currency": "EUR"}}
          """;
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> api.post(tenant, "/v1/verify", verify).body().path("decision").asText().equals("ALLOW"));

      // clients write and verify; each keeps what the service acknowledged
      Set<String> mandates = ConcurrentHashMap.newKeySet();
      Set<String> decisions = ConcurrentHashMap.newKeySet();
      mandates.add(seed.body().get("mandate_id").asText());
      AtomicBoolean stop = new AtomicBoolean();
      CountDownLatch enough = new CountDownLatch(4 * 20);
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        int client = c;
        Thread t =
            new Thread(
                () -> {
                  for (int i = 0; !stop.get(); i++) {
                    try {
                      Api.Response r =
                          i % 2 == 0
                              ? api.post(tenant, "/v1/mandates", Api.mandateBody("monco:agent:c" + client + "-" + i, null))
                              : api.post(tenant, "/v1/verify", verify);
                      if (r.status() == 201) {
                        mandates.add(r.body().get("mandate_id").asText());
                      } else if (r.status() == 200 && r.body().has("event_id")) {
                        decisions.add(r.body().get("event_id").asText());
                      }
                      enough.countDown();
                    } catch (RuntimeException e) {
                      return; // the service is gone
                    }
                  }
                },
                "crash-client-" + c);
        t.start();
        clients.add(t);
      }
      assertThat(enough.await(60, TimeUnit.SECONDS)).as("requests made before the kill").isTrue();

      first.process.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, nothing closed
      first.process.waitFor();
      stop.set(true);
      for (Thread t : clients) {
        t.join(30_000);
      }
      System.out.printf("acknowledged before the kill: %d mandates, %d decisions%n", mandates.size(), decisions.size());
      assertThat(mandates).hasSizeGreaterThan(10);
      assertThat(decisions).hasSizeGreaterThan(10);

      second = new Service(postgresPort, kafkaPort, httpPort, "second");
      Api after = second.api;
      for (String id : mandates) {
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> after.get(tenant, "/v1/mandates/" + id).status() == 200);
      }
      List<JsonNode> trail =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () -> AuditTrailIT.allEvents(after, tenant, "/v1/events"),
                  events -> {
                    Set<String> ids = ConcurrentHashMap.newKeySet();
                    events.forEach(e -> ids.add(e.get("event_id").asText()));
                    return ids.containsAll(decisions)
                        && events.stream().filter(e -> e.get("event_type").asText().equals("MANDATE_CREATED")).count()
                            >= mandates.size();
                  });
      assertThat(trail).extracting(e -> e.get("sequence").asLong())
          .containsExactlyElementsOf(LongStream.rangeClosed(1, trail.size()).boxed().toList());
      // the restarted node answers 503 until its index has caught up once: polled, as before the crash
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> after.post(tenant, "/v1/verify", verify).body().path("decision").asText().equals("ALLOW"));
    } finally {
      if (second != null) {
        second.stop();
      } else if (first.process.isAlive()) {
        first.stop();
      }
    }
  }
}

package com.mandateregistry.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mandateregistry.infra.MandateRegistryApplication;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The README's run mode: embedded PostgreSQL and Kafka under a data directory, a development
 * tenant printed once on the first start, and all state kept across a full restart of the process
 * stack (database and broker included), and a shutdown that stops the application's own work before
 * the database and the broker it runs on.
 */
@ExtendWith(OutputCaptureExtension.class)
class EmbeddedModeIT {

  private static final Pattern TENANT = Pattern.compile("tenant id: (tnt_\\w+)");
  private static final Pattern KEY = Pattern.compile("api key:\\s+(mrk_\\S+)");

  private static ConfigurableApplicationContext start(Path dataDir) {
    return new SpringApplicationBuilder(MandateRegistryApplication.class)
        .run(
            "--mandate-registry.data-dir=" + dataDir,
            "--mandate-registry.embedded.postgres-port=0",
            "--mandate-registry.embedded.kafka-port=0",
            "--server.port=0");
  }

  private static String printedBy(Path dataDir, boolean[] started, ConfigurableApplicationContext[] holder) {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true));
    try {
      holder[0] = start(dataDir);
      started[0] = true;
    } finally {
      System.setOut(original);
    }
    return captured.toString();
  }

  @Test
  void firstStartPrintsADevKeyOnce_andARestartKeepsEverything(@TempDir Path dataDir) throws Exception {
    ConfigurableApplicationContext[] app = new ConfigurableApplicationContext[1];
    boolean[] started = new boolean[1];
    String firstOutput = printedBy(dataDir, started, app);
    Matcher tenant = TENANT.matcher(firstOutput);
    Matcher key = KEY.matcher(firstOutput);
    assertThat(tenant.find()).as("first start prints the tenant id").isTrue();
    assertThat(key.find()).as("first start prints the API key").isTrue();
    TestApp.Tenant dev = new TestApp.Tenant(tenant.group(1), null, key.group(1));
    String mandateId;
    String keyId = app[0].getBean(com.mandateregistry.crypto.SigningKeys.class).currentSigner().keyId();
    try {
      Api api = api(app[0]);
      assertThat(firstOutput)
          .as("the banner's curl names the port the server listens on")
          .contains("http://localhost:" + URI.create(api.base).getPort() + "/v1/mandates");
      Api.Response created = api.post(dev, "/v1/mandates", Api.mandateBody("monco:agent:dev", null));
      assertThat(created.status()).isEqualTo(201);
      mandateId = created.body().get("mandate_id").asText();
      await().atMost(Duration.ofSeconds(30)).until(() -> api.get(dev, "/v1/mandates/" + mandateId).status() == 200);
    } finally {
      app[0].close();
    }
    assertThat(Files.isDirectory(dataDir.resolve("postgres"))).isTrue();
    assertThat(Files.isDirectory(dataDir.resolve("kafka"))).isTrue();
    assertThat(dataDir.resolve("keys").resolve("signing.p12")).isRegularFile();

    String secondOutput = printedBy(dataDir, started, app);
    try {
      assertThat(secondOutput).doesNotContain("api key:");
      assertThat(app[0].getBean(com.mandateregistry.crypto.SigningKeys.class).currentSigner().keyId())
          .as("the local signing key survives the restart")
          .isEqualTo(keyId);
      Api api = api(app[0]);
      Api.Response read = api.get(dev, "/v1/mandates/" + mandateId);
      assertThat(read.status()).isEqualTo(200);
      assertThat(read.body().get("status").asText()).isEqualTo("ACTIVE");
      Api.Response revoked = api.post(dev, "/v1/mandates/" + mandateId + "/revoke", "{}");
      assertThat(revoked.status()).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> api.get(dev, "/v1/mandates/" + mandateId).body().get("status").asText().equals("REVOKED"));
    } finally {
      app[0].close();
    }
  }

  /**
   * Closing the application (what SIGTERM or Ctrl-C does through Spring's shutdown hook) stops the
   * event processors, the connection pool and the Kafka clients first, and only then the embedded
   * PostgreSQL and broker: nothing finds its database gone mid-flight. When the stack was stopped
   * on ContextClosedEvent, at the start of the close, the publisher and the ledger lost their
   * connections and logged errors and retries while shutting down.
   */
  @Test
  void closing_stopsTheApplicationsWorkBeforeTheDatabaseAndTheBroker(
      @TempDir Path dataDir, CapturedOutput output) throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    ConfigurableApplicationContext[] app = new ConfigurableApplicationContext[1];
    String banner = printedBy(dataDir, new boolean[1], app);
    Matcher tenant = TENANT.matcher(banner);
    Matcher key = KEY.matcher(banner);
    assertThat(tenant.find() && key.find()).isTrue();
    TestApp.Tenant dev = new TestApp.Tenant(tenant.group(1), null, key.group(1));
    String jdbcUrl = app[0].getEnvironment().getProperty("spring.datasource.url");
    String bootstrap = app[0].getEnvironment().getProperty("axon.kafka.bootstrap-servers");
    int closeStartsAt;
    try {
      Api api = api(app[0]);
      assertThat(api.post(dev, "/v1/mandates", Api.mandateBody("monco:agent:dev", null)).status())
          .isEqualTo(201);
      String verify =
          "{\"delegate_subject_id\": \"monco:agent:dev\", \"action\": \"construction.validation.approve\","
              + " \"resource\": \"monco:project:p1/zone:EG\","
              + " \"context\": {\"amount\": 10, \"currency\": \"EUR\"}}";
      await().atMost(Duration.ofSeconds(30))
          .until(() -> api.post(dev, "/v1/verify", verify).body().path("decision").asText().equals("ALLOW"));
      // decisions still flowing to the publisher and the ledger when the close begins
      for (int i = 0; i < 20; i++) {
        assertThat(api.post(dev, "/v1/verify", verify).status()).isEqualTo(200);
      }
    } finally {
      closeStartsAt = output.length();
      app[0].close();
    }
    String shutdownLog = output.toString().substring(closeStartsAt);
    assertThat(shutdownLog)
        .as("log of the shutdown")
        .doesNotContain("marked as broken")
        .doesNotContain("Starting retry mode")
        .doesNotContain("Could not open JDBC Connection")
        .doesNotContainPattern("\\sERROR\\s")
        // the broker closes its registration channel twice in its own shutdown (EmbeddedLogging)
        .doesNotContain("Attempting to close NetworkClient that has already been closed")
        // a Kafka client still open when the broker stopped: it reconnects, and says so
        .doesNotContain("(/" + bootstrap.split(",")[0] + ") could not be established");
    assertThat(Thread.getAllStackTraces().keySet())
        .as("Kafka client threads of this application still running after its close")
        .filteredOn(t -> !before.contains(t) && t.isAlive())
        .extracting(Thread::getName)
        .noneMatch(name -> name.startsWith("AsyncFetcher") || name.startsWith("kafka-producer-network-thread"));
    URI postgres = URI.create(jdbcUrl.substring("jdbc:".length()));
    assertThat(accepts(postgres.getHost(), postgres.getPort())).as("PostgreSQL stopped").isFalse();
    String[] broker = bootstrap.split(",")[0].split(":");
    assertThat(accepts(broker[0], Integer.parseInt(broker[1]))).as("Kafka stopped").isFalse();
  }

  private static boolean accepts(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static Api api(ConfigurableApplicationContext context) {
    int port = ((ServletWebServerApplicationContext) context).getWebServer().getPort();
    return new Api("http://127.0.0.1:" + port);
  }
}

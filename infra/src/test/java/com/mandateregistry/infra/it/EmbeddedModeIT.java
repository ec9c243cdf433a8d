package com.mandateregistry.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mandateregistry.infra.MandateRegistryApplication;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The README's run mode: embedded PostgreSQL and Kafka under a data directory, a development
 * tenant printed once on the first start, and all state kept across a full restart of the process
 * stack (database and broker included).
 */
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

  private static Api api(ConfigurableApplicationContext context) {
    int port = ((ServletWebServerApplicationContext) context).getWebServer().getPort();
    return new Api("http://127.0.0.1:" + port);
  }
}

package com.mandateregistry.infra.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.mandateregistry.infra.MandateRegistryApplication;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The prod profile with external PostgreSQL and Kafka given only through the documented
 * environment-style properties: no embedded stack, no development tenant, a working API.
 */
class ProductionProfileIT {

  @Test
  void prodProfile_usesExternalServices_andCreatesNoDevTenant() {
    TestInfrastructure infra = TestInfrastructure.get();
    String jdbcUrl = infra.newDatabase();
    String topic = infra.newTopic();
    Map<String, Object> env =
        Map.of(
            "SPRING_DATASOURCE_URL", jdbcUrl,
            "SPRING_DATASOURCE_USERNAME", infra.username(),
            "SPRING_DATASOURCE_PASSWORD", infra.password(),
            "AXON_KAFKA_BOOTSTRAP_SERVERS", infra.bootstrapServers(),
            "MANDATE_REGISTRY_CURSOR_SECRET", "prod-profile-test-secret",
            "MANDATE_REGISTRY_TOPIC", topic);
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(MandateRegistryApplication.class)
            .profiles("prod")
            .properties(Map.of("server.port", 0))
            .initializers(
                ctx ->
                    ctx.getEnvironment()
                        .getPropertySources()
                        .addFirst(
                            new org.springframework.core.env.SystemEnvironmentPropertySource(
                                "testEnvironment", env)))
            .run()) {
      JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
      assertThat(jdbc.queryForObject("SELECT count(*) FROM api_key_credential", Integer.class)).isZero();
      assertThat(jdbc.queryForObject("SELECT current_database()", String.class))
          .isEqualTo(jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1));
      assertThat(context.getEnvironment().getProperty("mandate-registry.embedded.enabled")).isEqualTo("false");
      assertThat(context.getEnvironment().getPropertySources().contains("embeddedStack")).isFalse();
    }
  }
}

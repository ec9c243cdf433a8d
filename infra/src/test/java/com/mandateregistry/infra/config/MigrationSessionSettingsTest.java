package com.mandateregistry.infra.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * The session settings reach Flyway's connections however Flyway gets them, without the statement
 * timeout (a migration may rewrite a large table): from the pool (Flyway gets a data source of its
 * own with the pool's properties, so that no pooled session keeps the timeout off), from a data
 * source Spring Boot derives from the pool for {@code spring.flyway.user} or {@code
 * spring.flyway.url} (not a bean, and without the pool's driver properties: before, its migrations
 * ran with no lock or idle timeout), or from any other data source (as statements).
 */
class MigrationSessionSettingsTest {

  private static final DatabaseProperties SETTINGS =
      new DatabaseProperties(Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofSeconds(30));

  @Test
  void aDataSourceDerivedForAMigrationRole_sendsTheOptions_andKeepsItsOwn() {
    try (HikariDataSource pool = new HikariDataSource()) {
      pool.setJdbcUrl("jdbc:postgresql://db:5432/registry");
      pool.setUsername("registry");
      DatabaseSessionSettings.apply(pool, SETTINGS);
      // spring.flyway.user=migrator: what Spring Boot 3.5 hands to Flyway
      SimpleDriverDataSource derived =
          (SimpleDriverDataSource)
              DataSourceBuilder.derivedFrom(pool).type(SimpleDriverDataSource.class).username("migrator").build();
      Properties own = new Properties();
      own.setProperty("options", "-c search_path=registry");
      own.setProperty("socketTimeout", "3600");
      derived.setConnectionProperties(own);
      FluentConfiguration flyway = Flyway.configure().dataSource(derived);

      DatabaseSessionSettings.applyToMigrations(flyway, SETTINGS);

      Properties sent = derived.getConnectionProperties();
      assertThat(sent.getProperty("options"))
          .isEqualTo("-c lock_timeout=5000 -c idle_in_transaction_session_timeout=60000 -c statement_timeout=30000"
              + " -c search_path=registry -c statement_timeout=0");
      assertThat(sent.getProperty("socketTimeout")).as("a migration's own, kept").isEqualTo("3600");
      assertThat(sent.getProperty("tcpKeepAlive")).isEqualTo("true");
      assertThat(flyway.getInitSql()).isNull();
    }
  }

  @Test
  void anotherDataSource_getsTheSettingsAsStatements_beforeAnyGiven() {
    FluentConfiguration flyway = Flyway.configure().dataSource(new PGSimpleDataSource()).initSql("SET role migrator");
    DatabaseSessionSettings.applyToMigrations(flyway, SETTINGS);
    assertThat(flyway.getInitSql())
        .isEqualTo("SET lock_timeout = 5000; SET idle_in_transaction_session_timeout = 60000; SET statement_timeout = 30000;"
            + "\nSET role migrator;\nSET statement_timeout = 0;")
        .as("Flyway splits it at ';': the given statement, without one, does not run into the next")
        .contains("SET role migrator;");
  }

  @Test
  void thePool_isNotLentToFlyway_whichGetsItsOwnDataSource_withThePoolsProperties_andNoStatementTimeout() {
    try (HikariDataSource pool = new HikariDataSource()) {
      pool.setJdbcUrl("jdbc:postgresql://db:5432/registry");
      pool.setUsername("registry");
      pool.setPassword("secret");
      pool.addDataSourceProperty("reWriteBatchedInserts", "true");
      DatabaseSessionSettings.apply(pool, SETTINGS);
      FluentConfiguration flyway = Flyway.configure().dataSource(pool);

      DatabaseSessionSettings.applyToMigrations(flyway, SETTINGS);

      assertThat(flyway.getDataSource()).isInstanceOf(SimpleDriverDataSource.class);
      SimpleDriverDataSource own = (SimpleDriverDataSource) flyway.getDataSource();
      assertThat(own.getUrl()).isEqualTo("jdbc:postgresql://db:5432/registry");
      assertThat(own.getUsername()).isEqualTo("registry");
      assertThat(own.getPassword()).isEqualTo("secret");
      Properties sent = own.getConnectionProperties();
      assertThat(sent.getProperty("options"))
          .isEqualTo("-c lock_timeout=5000 -c idle_in_transaction_session_timeout=60000 -c statement_timeout=30000"
              + " -c statement_timeout=0");
      assertThat(sent.getProperty("socketTimeout")).isEqualTo("300");
      assertThat(sent.getProperty("reWriteBatchedInserts")).isEqualTo("true");
      assertThat(pool.getDataSourceProperties().getProperty("options"))
          .as("the pool's own sessions keep the timeout").endsWith("statement_timeout=30000");
      assertThat(flyway.getInitSql()).isNull();
    }
  }

  @Test
  void thePoolsSchemaAndInitSql_comeAlong_andAWrappedPoolIsFound() {
    try (HikariDataSource pool = new HikariDataSource()) {
      pool.setJdbcUrl("jdbc:postgresql://db:5432/registry");
      pool.setSchema("registry");
      pool.setConnectionInitSql("SET role app");
      DatabaseSessionSettings.apply(pool, SETTINGS);
      FluentConfiguration flyway =
          Flyway.configure().dataSource(new DelegatingDataSource(pool)).initSql("SET work_mem = '64MB'");

      DatabaseSessionSettings.applyToMigrations(flyway, SETTINGS);

      SimpleDriverDataSource own = (SimpleDriverDataSource) flyway.getDataSource();
      assertThat(own.getConnectionProperties().getProperty("currentSchema")).isEqualTo("registry");
      assertThat(own.getConnectionProperties().getProperty("options")).endsWith(" -c statement_timeout=0");
      assertThat(flyway.getInitSql()).isEqualTo("SET role app;\nSET work_mem = '64MB'");
    }
  }

  @Test
  void aPoolWithoutAUrl_isLeftToThePostProcessor() {
    try (HikariDataSource pool = new HikariDataSource()) {
      FluentConfiguration flyway = Flyway.configure().dataSource(pool);
      DatabaseSessionSettings.applyToMigrations(flyway, SETTINGS);
      assertThat(flyway.getDataSource()).isSameAs(pool);
      assertThat(flyway.getInitSql()).isNull();
      assertThat(pool.getDataSourceProperties()).isEmpty();
    }
  }
}

package com.mandateregistry.infra.config;

import com.zaxxer.hikari.HikariDataSource;
import java.util.Properties;
import javax.sql.DataSource;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.stereotype.Component;

/**
 * Gives every connection of the service's pool the session settings of {@link DatabaseProperties}
 * through the PostgreSQL driver's {@code options} property, which the server applies as the
 * session starts: no statement per connection, and the same on Flyway's connections. The socket
 * timeout and TCP keep-alive are the driver's own properties. Flyway's connections get them too,
 * also from a data source Flyway has of its own ({@link #migrationSessionSettings}). Options that
 * {@code spring.datasource.hikari.data-source-properties.options} already holds are kept after
 * these, so an explicit {@code -c lock_timeout=…} there wins. An {@code options} parameter in the
 * JDBC URL replaces the property as a whole (the driver's rule), so then these settings are not
 * applied; the start says so.
 */
@Component
class DatabaseSessionSettings implements BeanPostProcessor {

  private static final Logger log = LoggerFactory.getLogger(DatabaseSessionSettings.class);
  static final String OPTIONS = "options";
  static final String SOCKET_TIMEOUT = "socketTimeout";
  static final String TCP_KEEP_ALIVE = "tcpKeepAlive";

  private final ObjectProvider<DatabaseProperties> properties;

  DatabaseSessionSettings(ObjectProvider<DatabaseProperties> properties) {
    this.properties = properties;
  }

  @Override
  public Object postProcessBeforeInitialization(Object bean, String beanName) {
    if (bean instanceof HikariDataSource pool) {
      apply(pool, properties.getObject());
    }
    return bean;
  }

  /**
   * The same settings on Flyway's connections when Flyway has a data source of its own, which is
   * not a bean: with {@code spring.flyway.user} or {@code spring.flyway.url} (a migration role),
   * Spring Boot derives one from the pool's settings, without its driver properties.
   */
  @Bean
  static FlywayConfigurationCustomizer migrationSessionSettings(ObjectProvider<DatabaseProperties> properties) {
    return flyway -> applyToMigrations(flyway, properties.getObject());
  }

  static void applyToMigrations(FluentConfiguration flyway, DatabaseProperties settings) {
    DataSource migrations = flyway.getDataSource();
    if (migrations == null || migrations instanceof HikariDataSource) {
      return; // the pool, or another pool bean: postProcessBeforeInitialization has set it up
    }
    if (migrations instanceof SimpleDriverDataSource derived) {
      Properties sent = new Properties();
      if (derived.getConnectionProperties() != null) {
        sent.putAll(derived.getConnectionProperties());
      }
      String given = sent.getProperty(OPTIONS);
      sent.setProperty(OPTIONS, settings.sessionOptions() + (given == null || given.isBlank() ? "" : " " + given.strip()));
      sent.putIfAbsent(SOCKET_TIMEOUT, String.valueOf(settings.socketTimeoutSeconds()));
      sent.putIfAbsent(TCP_KEEP_ALIVE, "true");
      derived.setConnectionProperties(sent);
      return;
    }
    // any other data source: the session settings as statements on each of Flyway's connections
    String given = flyway.getInitSql();
    flyway.initSql(settings.sessionStatements() + (given == null || given.isBlank() ? "" : "\n" + given));
  }

  static void apply(HikariDataSource pool, DatabaseProperties settings) {
    String given = pool.getDataSourceProperties().getProperty(OPTIONS);
    String options = settings.sessionOptions() + (given == null || given.isBlank() ? "" : " " + given.strip());
    pool.addDataSourceProperty(OPTIONS, options);
    // the driver's own settings: one given in data-source-properties is kept
    pool.getDataSourceProperties().putIfAbsent(SOCKET_TIMEOUT, String.valueOf(settings.socketTimeoutSeconds()));
    pool.getDataSourceProperties().putIfAbsent(TCP_KEEP_ALIVE, "true");
    String url = pool.getJdbcUrl();
    if (url != null && url.matches("(?i).*[?&]options=.*")) {
      log.warn(
          "the JDBC URL sets options=, which replaces the session settings of mandate-registry.database.*"
              + " ({}); set them in the URL's options or remove it",
          settings.sessionOptions());
    }
  }
}

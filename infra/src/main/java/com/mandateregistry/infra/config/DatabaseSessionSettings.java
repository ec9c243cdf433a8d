package com.mandateregistry.infra.config;

import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Properties;
import javax.sql.DataSource;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.stereotype.Component;

/**
 * Gives every connection of the service's pool the session settings of {@link DatabaseProperties}
 * through the PostgreSQL driver's {@code options} property, which the server applies as the
 * session starts: no statement per connection, and the same on Flyway's connections, but for the
 * statement timeout. The socket timeout and TCP keep-alive are the driver's own properties.
 * Flyway's connections get them too, from a data source of their own ({@link
 * #migrationSessionSettings}). Options that
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
  static final String CURRENT_SCHEMA = "currentSchema";

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
   * The same settings on Flyway's connections, except the statement timeout, which they turn off: a
   * migration may rewrite a large table. Flyway never migrates on a pooled session, which would
   * keep the setting when handed back: given the pool, it gets a data source of its own, derived
   * from the pool as Spring Boot derives one for {@code spring.flyway.user} or {@code
   * spring.flyway.url} (a migration role), with the pool's driver properties, schema and
   * connection init SQL. A derived one is not a bean and lacks the pool's driver properties, so
   * they are set here. A pool configured without a JDBC URL (a data source class of its own) is
   * lent to Flyway as it is, statement timeout included.
   */
  @Bean
  static FlywayConfigurationCustomizer migrationSessionSettings(ObjectProvider<DatabaseProperties> properties) {
    return flyway -> applyToMigrations(flyway, properties.getObject());
  }

  /** Appended to the options of Flyway's sessions: after any other, so that it always wins. */
  static final String MIGRATION_OPTIONS = "-c statement_timeout=0";

  static void applyToMigrations(FluentConfiguration flyway, DatabaseProperties settings) {
    DataSource migrations = flyway.getDataSource();
    HikariDataSource pool =
        migrations == null ? null : DataSourceUnwrapper.unwrap(migrations, HikariConfigMXBean.class, HikariDataSource.class);
    if (pool != null && pool.getJdbcUrl() != null) {
      // the pool: its properties already hold the session settings (postProcessBeforeInitialization)
      SimpleDriverDataSource own =
          DataSourceBuilder.derivedFrom(pool).type(SimpleDriverDataSource.class).build();
      Properties sent = new Properties();
      sent.putAll(pool.getDataSourceProperties());
      sent.setProperty(OPTIONS, sent.getProperty(OPTIONS, settings.sessionOptions()).strip() + " " + MIGRATION_OPTIONS);
      if (pool.getSchema() != null) {
        sent.putIfAbsent(CURRENT_SCHEMA, pool.getSchema()); // what the pool sets on each connection
      }
      own.setConnectionProperties(sent);
      flyway.dataSource(own);
      if (pool.getConnectionInitSql() != null && !pool.getConnectionInitSql().isBlank()) {
        flyway.initSql(joined(pool.getConnectionInitSql(), flyway.getInitSql()));
      }
      return;
    }
    if (migrations instanceof SimpleDriverDataSource derived) {
      Properties sent = new Properties();
      if (derived.getConnectionProperties() != null) {
        sent.putAll(derived.getConnectionProperties());
      }
      String given = sent.getProperty(OPTIONS);
      sent.setProperty(
          OPTIONS,
          settings.sessionOptions() + (given == null || given.isBlank() ? "" : " " + given.strip()) + " " + MIGRATION_OPTIONS);
      sent.putIfAbsent(SOCKET_TIMEOUT, String.valueOf(settings.socketTimeoutSeconds()));
      sent.putIfAbsent(TCP_KEEP_ALIVE, "true");
      derived.setConnectionProperties(sent);
      return;
    }
    if (migrations == null || pool != null) {
      return; // a pool without a JDBC URL (a driver data source of its own): set up by the post-processor
    }
    // any other data source: the session settings as statements on each of Flyway's connections
    flyway.initSql(joined(joined(settings.sessionStatements(), flyway.getInitSql()), "SET statement_timeout = 0;"));
  }

  /**
   * Two scripts as one, for Flyway's {@code initSql}, which Flyway splits into statements at
   * {@code ;}: the first ends with one, so that a statement given without it does not run into the
   * next.
   */
  static String joined(String first, String then) {
    if (then == null || then.isBlank()) {
      return first;
    }
    String head = first.strip();
    return (head.endsWith(";") ? head : head + ";") + "\n" + then.strip();
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

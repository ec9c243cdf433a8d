package com.mandateregistry.infra.embedded;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertyResolver;

/**
 * Starts the embedded stack (PostgreSQL and a KRaft broker, state under {@code
 * mandate-registry.data-dir}) before any bean that needs them, and points {@code
 * spring.datasource.*} and {@code axon.kafka.bootstrap-servers} at it. Does nothing when {@code
 * mandate-registry.embedded.enabled=false} (the prod profile).
 *
 * <p>One stack per data directory. It stops last when the application context closes, after every
 * bean that uses it (or, if the context is never closed, when the JVM exits).
 */
public class EmbeddedStackPostProcessor implements EnvironmentPostProcessor, Ordered {

  private static final Map<Path, EmbeddedStack> RUNNING = new ConcurrentHashMap<>();
  private static final String STACK_BEAN = "mandateRegistryEmbeddedStack";
  private static final String PUBLIC_BASE_URL = "mandate-registry.public-base-url";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
    if (!env.getProperty("mandate-registry.embedded.enabled", Boolean.class, true)) {
      return;
    }
    Path dataDir =
        Path.of(env.getProperty("mandate-registry.data-dir", "./data")).toAbsolutePath().normalize();
    int postgresPort = env.getProperty("mandate-registry.embedded.postgres-port", Integer.class, 54329);
    int kafkaPort = env.getProperty("mandate-registry.embedded.kafka-port", Integer.class, 19092);
    EmbeddedStack stack =
        RUNNING.computeIfAbsent(
            dataDir,
            dir -> {
              EmbeddedStack started = EmbeddedStack.start(dir, postgresPort, kafkaPort);
              // when the JVM exits without the context having been closed; runs after every
              // application context was closed, never alongside
              SpringApplication.getShutdownHandlers().add(() -> stop(dir));
              return started;
            });
    Map<String, Object> props = new HashMap<>();
    props.put("spring.datasource.url", stack.jdbcUrl());
    props.put("spring.datasource.username", stack.postgres().username());
    props.put("spring.datasource.password", stack.postgres().password());
    props.put("axon.kafka.bootstrap-servers", stack.bootstrapServers());
    developmentBaseUrl(env).ifPresent(url -> props.put(PUBLIC_BASE_URL, url));
    env.getPropertySources().addFirst(new MapPropertySource("embeddedStack", props));
    // Registered before any bean exists, so destroyed after every one of them: the event
    // processors, the connection pool and the Kafka clients are all stopped before the database and
    // the broker go. (ContextClosedEvent would be too early: it comes before anything is stopped.)
    application.addListeners(
        (ApplicationListener<ApplicationPreparedEvent>)
            event -> {
              EmbeddedLogging.dropBrokerDoubleClose(); // logging is set up (and reset) by now
              if (event.getApplicationContext().getBeanFactory()
                  instanceof DefaultSingletonBeanRegistry registry) {
                registry.registerDisposableBean(STACK_BEAN, () -> stop(dataDir));
              }
            });
  }

  /**
   * In development, the public URL where {@code mandate-registry.public-base-url} is not set and
   * {@code server.port} names a port other than the default's 8080: {@code http://localhost:<port>}.
   * Otherwise the AuthZEN metadata and the issuer's {@code did:web} would name port 8080, and a PEP
   * discards metadata whose {@code policy_decision_point} is not the URL it asked. A random port
   * ({@code 0}) keeps the default, as the port is not known yet.
   */
  static Optional<String> developmentBaseUrl(PropertyResolver env) {
    if (env.containsProperty(PUBLIC_BASE_URL)) {
      return Optional.empty();
    }
    Integer port;
    try {
      port = env.getProperty("server.port", Integer.class);
    } catch (RuntimeException notANumber) {
      return Optional.empty(); // the web server will refuse it
    }
    return port == null || port <= 0 || port == 8080
        ? Optional.empty()
        : Optional.of("http://localhost:" + port);
  }

  private static void stop(Path dataDir) {
    EmbeddedStack running = RUNNING.remove(dataDir);
    if (running != null) {
      running.close();
    }
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}

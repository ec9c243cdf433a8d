package com.mandateregistry.infra.embedded;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts the embedded stack (PostgreSQL and a KRaft broker, state under {@code
 * mandate-registry.data-dir}) before any bean that needs them, and points {@code
 * spring.datasource.*} and {@code axon.kafka.bootstrap-servers} at it. Does nothing when {@code
 * mandate-registry.embedded.enabled=false} (the prod profile).
 *
 * <p>One stack per data directory; it stops when the application context closes (or, failing
 * that, when the JVM exits).
 */
public class EmbeddedStackPostProcessor implements EnvironmentPostProcessor, Ordered {

  private static final Map<Path, EmbeddedStack> RUNNING = new ConcurrentHashMap<>();

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
              Runtime.getRuntime()
                  .addShutdownHook(new Thread(started::close, "embedded-stack-shutdown"));
              return started;
            });
    Map<String, Object> props = new HashMap<>();
    props.put("spring.datasource.url", stack.jdbcUrl());
    props.put("spring.datasource.username", stack.postgres().username());
    props.put("spring.datasource.password", stack.postgres().password());
    props.put("axon.kafka.bootstrap-servers", stack.bootstrapServers());
    env.getPropertySources().addFirst(new MapPropertySource("embeddedStack", props));
    application.addListeners(
        (ApplicationListener<ContextClosedEvent>)
            event -> {
              EmbeddedStack running = RUNNING.remove(dataDir);
              if (running != null) {
                running.close();
              }
            });
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}

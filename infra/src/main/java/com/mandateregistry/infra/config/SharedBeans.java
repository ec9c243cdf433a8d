package com.mandateregistry.infra.config;

import com.mandateregistry.api.web.ConsistencyTokens;
import com.mandateregistry.api.web.CursorCodec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Beans that several modules inject: the clock and the cursor codec. */
@Configuration(proxyBeanMethods = false)
class SharedBeans {

  private static final Logger log = LoggerFactory.getLogger(SharedBeans.class);
  static final String DEV_CURSOR_SECRET = "development-only-cursor-secret-change-me";

  /**
   * UTC, in whole microseconds: what PostgreSQL keeps of an instant, so that the time a write
   * answers ({@code created_at}, {@code updated_at}) is the time every later read shows. With the
   * system clock's nanoseconds, a create answered {@code …52.081397206Z} and its reads
   * {@code …52.081397Z}.
   */
  @Bean
  Clock clock() {
    return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
  }

  @Bean
  CursorCodec cursorCodec(RegistryProperties properties) {
    String secret = properties.cursorSecret();
    if (secret == null || secret.isBlank()) {
      log.warn(
          "mandate-registry.cursor-secret is not set: using the development default. Set it (the"
              + " same value on every node) in production.");
      secret = DEV_CURSOR_SECRET;
    }
    return new CursorCodec(secret.getBytes(StandardCharsets.UTF_8));
  }

  /** Tokens of writes that verifications can ask to be at least as fresh as (same secret). */
  @Bean
  ConsistencyTokens consistencyTokens(CursorCodec cursors) {
    return new ConsistencyTokens(cursors);
  }
}

package com.mandateregistry.infra.config;

import com.mandateregistry.api.web.CursorCodec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Beans that several modules inject: the clock and the cursor codec. */
@Configuration(proxyBeanMethods = false)
class SharedBeans {

  private static final Logger log = LoggerFactory.getLogger(SharedBeans.class);
  static final String DEV_CURSOR_SECRET = "development-only-cursor-secret-change-me";

  @Bean
  Clock clock() {
    return Clock.systemUTC();
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
}

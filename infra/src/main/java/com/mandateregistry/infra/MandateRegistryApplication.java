package com.mandateregistry.infra;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The Mandate Registry service: command side, query side and audit ledger in one process. */
@SpringBootApplication(
    scanBasePackages = "com.mandateregistry",
    exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan("com.mandateregistry.infra")
public class MandateRegistryApplication {

  public static void main(String[] args) {
    SpringApplication.run(MandateRegistryApplication.class, args);
  }
}

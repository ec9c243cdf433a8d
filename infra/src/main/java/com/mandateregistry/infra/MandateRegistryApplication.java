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

  static {
    // Axon Framework reports anonymous usage to AxonIQ unless told not to; a registry of delegated
    // authority does not phone home. Set AXONIQ_UPDATE_CHECKER_DISABLED=false to allow it.
    if (System.getProperty("axoniq.update-checker.disabled") == null
        && System.getenv("AXONIQ_UPDATE_CHECKER_DISABLED") == null) {
      System.setProperty("axoniq.update-checker.disabled", "true");
    }
  }

  public static void main(String[] args) {
    SpringApplication.run(MandateRegistryApplication.class, args);
  }
}

package com.mandateregistry.query.verification.config;

import com.mandateregistry.api.Settings;
import com.mandateregistry.query.verification.DecisionEngine;
import com.mandateregistry.query.verification.freshness.FreshnessGuard;
import com.mandateregistry.query.verification.index.VerificationIndex;
import com.mandateregistry.query.verification.recording.DecisionRecorder;
import java.time.Duration;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/** The beans of real-time verification. */
@Configuration(proxyBeanMethods = false)
public class VerificationConfiguration {

  /** The processor that fills the in-memory index; see {@code VerificationIndexProjection}. */
  public static final String INDEX_PROCESSOR = "verification-index";

  @Bean
  VerificationIndex verificationIndex(
      @Value("${mandate-registry.verification.ended-retention:30d}") Duration endedRetention) {
    return new VerificationIndex(endedRetention);
  }

  @Bean
  DecisionEngine decisionEngine() {
    return new DecisionEngine();
  }

  @Bean
  DecisionRecorder decisionRecorder(
      EventBus eventBus,
      FreshnessGuard freshness,
      PlatformTransactionManager transactions,
      @Value("${mandate-registry.verification.max-batch:500}") int maxBatch,
      @Value("${mandate-registry.verification.queue-capacity:10000}") int capacity,
      @Value("${mandate-registry.verification.record-timeout:5s}") Duration timeout) {
    return new DecisionRecorder(
        eventBus,
        freshness,
        transactions,
        Settings.atLeast("mandate-registry.verification.max-batch", maxBatch, 1),
        Settings.atLeast("mandate-registry.verification.queue-capacity", capacity, 1),
        Settings.positive("mandate-registry.verification.record-timeout", timeout));
  }

  /**
   * The index lives in memory, so its processor's token must too: every start reads the topic from
   * the beginning and rebuilds the index (on every node, since each node has its own index).
   */
  @Bean
  ConfigurerModule verificationIndexTokenStore() {
    return configurer ->
        configurer.eventProcessing().registerTokenStore(INDEX_PROCESSOR, c -> new InMemoryTokenStore());
  }
}

package com.mandateregistry.infra.axon;

import com.mandateregistry.ledger.projection.LedgerProjection;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * The {@code pipeline} part of {@code GET /actuator/health}: whether everything behind the API
 * keeps up. Every event processor (the two Kafka publishers, the read model, the verification
 * index, the mandate authority, the audit ledger) must be running and none of its segments in
 * Axon's error mode, where it retries a failed batch from its stored token with a back-off and
 * moves past nothing; and the audit ledger must not be waiting for its signer.
 *
 * <p>Otherwise the status is {@link #DEGRADED}: the API still answers (writes are acknowledged,
 * verifications decided and recorded), but what follows them (publication, read model, index, audit
 * trail) does not advance for the processor named. It maps to HTTP 200, so a liveness probe does
 * not restart a service that a restart would not mend; monitoring should alert on it. The public
 * endpoint shows only the status; the first health check that sees a change logs which processor
 * and why ({@code WARN}), and the recovery ({@code INFO}).
 */
@Component("pipeline")
public class PipelineHealth implements HealthIndicator {

  /** Between DOWN and UP (application.yml orders it and maps it to 200). */
  static final Status DEGRADED =
      new Status("DEGRADED", "an event processor is retrying a failed batch, or the ledger waits for its signer");

  private static final Logger log = LoggerFactory.getLogger(PipelineHealth.class);

  private final EventProcessingConfiguration processing;
  private final ObjectProvider<LedgerProjection> ledger;
  private Map<String, String> lastProblems = Map.of();

  PipelineHealth(EventProcessingConfiguration processing, ObjectProvider<LedgerProjection> ledger) {
    this.processing = processing;
    this.ledger = ledger;
  }

  @Override
  public Health health() {
    Map<String, String> problems = problems();
    report(problems);
    return problems.isEmpty() ? Health.up().build() : Health.status(DEGRADED).withDetails(problems).build();
  }

  /** Per processor in trouble, what is wrong; empty when all is well. */
  public Map<String, String> problems() {
    Map<String, String> problems = new TreeMap<>();
    for (EventProcessor processor : processing.eventProcessors().values()) {
      if (!processor.isRunning()) {
        problems.put(processor.getName(), "not running");
      } else if (processor instanceof StreamingEventProcessor streaming) {
        streaming.processingStatus().values().stream()
            .filter(EventTrackerStatus::isErrorState)
            .findFirst()
            .ifPresent(status -> problems.put(processor.getName(), "retrying after " + describe(status.getError())));
      }
    }
    LedgerProjection projection = ledger.getIfAvailable();
    if (projection != null && holdsASegment(LedgerProjection.PROCESSING_GROUP)) {
      // only while this node's ledger holds its segment: one whose claim another node took over
      // (while this one backed off) no longer waits for anything
      projection.waitingForSignerSince()
          .ifPresent(since -> problems.merge(LedgerProjection.PROCESSING_GROUP,
              "waiting for the signer since " + since, (a, b) -> a + "; " + b));
    }
    return problems;
  }

  private boolean holdsASegment(String processorName) {
    return processing.eventProcessor(processorName, StreamingEventProcessor.class)
        .map(p -> !p.processingStatus().isEmpty())
        .orElse(true);
  }

  private static String describe(Throwable error) {
    return error == null ? "an error" : error.getClass().getSimpleName();
  }

  private synchronized void report(Map<String, String> problems) {
    if (Objects.equals(problems, lastProblems)) {
      return;
    }
    if (problems.isEmpty()) {
      log.info("pipeline healthy again (was: {})", lastProblems);
    } else {
      log.warn("pipeline degraded: {}", problems);
    }
    lastProblems = Map.copyOf(problems);
  }
}

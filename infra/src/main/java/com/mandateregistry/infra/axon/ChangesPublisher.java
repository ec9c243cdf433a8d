package com.mandateregistry.infra.axon;

import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventMessageHandler;
import org.axonframework.extensions.kafka.eventhandling.producer.KafkaPublisher;

/**
 * The handler of the {@value #PROCESSING_GROUP} processor: publishes every stored event except the
 * verification decisions to the changes topic ({@code mandate-registry.changes-topic}).
 *
 * <p>The decisions are nearly all of the event stream under load, and only the audit ledger reads
 * them; the mandate read model and the verification index read the changes topic, so they neither
 * fetch nor skip a single decision, and the index's rebuild on every start reads the state changes
 * alone. The processor is a second tracking processor on the event store, beside the one that
 * feeds the event topic: its own token, its own batches, confirmed by the same {@link
 * BatchConfirmingKafkaPublisher}. It starts from the tail of the store, so on its first start
 * (also on a deployment that ran before it existed) it publishes every change stored so far.
 *
 * <p>It declines the decision types by payload type, so its processor skips them without a unit of
 * work, and stores its token only when it has something to publish or has skipped for a while
 * (Axon's event availability timeout).
 */
final class ChangesPublisher implements EventMessageHandler {

  /** The name of the processor and of its processing group. */
  static final String PROCESSING_GROUP = "changes-publisher";

  private final KafkaPublisher<String, byte[]> publisher;
  private final Set<Class<?>> excluded;

  ChangesPublisher(KafkaPublisher<String, byte[]> publisher, Collection<Class<?>> excluded) {
    this.publisher = Objects.requireNonNull(publisher, "publisher");
    this.excluded = Set.copyOf(excluded);
  }

  @Override
  public Object handle(EventMessage<?> event) {
    publisher.send(event);
    return null;
  }

  @Override
  public boolean canHandle(EventMessage<?> event) {
    return canHandleType(event.getPayloadType());
  }

  @Override
  public boolean canHandleType(Class<?> payloadType) {
    return !excluded.contains(payloadType);
  }

  /** As Axon's own publisher: a reset would publish every change again. */
  @Override
  public boolean supportsReset() {
    return false;
  }
}

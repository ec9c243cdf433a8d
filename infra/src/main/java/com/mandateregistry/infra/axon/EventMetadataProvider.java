package com.mandateregistry.infra.axon;

import com.mandateregistry.api.EventMetadata;
import java.util.HashMap;
import java.util.Map;
import org.axonframework.deadline.DeadlineMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.correlation.CorrelationDataProvider;

/**
 * Copies the tenant, actor, correlation id and issue time from a command onto every event it
 * causes. Events caused by a deadline (mandate expiry) are the system's doing, so their actor is
 * {@code system} whatever command scheduled the deadline.
 */
class EventMetadataProvider implements CorrelationDataProvider {

  @Override
  public Map<String, ?> correlationDataFor(Message<?> message) {
    Map<String, Object> data = new HashMap<>();
    for (String key : EventMetadata.ALL) {
      Object value = message.getMetaData().get(key);
      if (value != null) {
        data.put(key, value);
      }
    }
    if (message instanceof DeadlineMessage<?> deadline) {
      data.put(EventMetadata.ACTOR_TYPE, "system");
      data.put(EventMetadata.ACTOR_ID, "deadline:" + deadline.getDeadlineName());
      data.put(EventMetadata.ISSUED_AT, deadline.getTimestamp().toString());
    }
    return data;
  }
}

package com.mandateregistry.infra.axon;

import com.mandateregistry.api.EventMetadata;
import java.util.HashMap;
import java.util.Map;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.correlation.CorrelationDataProvider;

/**
 * Copies the tenant, actor, correlation id and issue time from a command onto every event it
 * causes. (Events that no command causes, such as mandate expiry, name their actor themselves.)
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
    return data;
  }
}

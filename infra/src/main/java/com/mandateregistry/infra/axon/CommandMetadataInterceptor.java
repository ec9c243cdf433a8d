package com.mandateregistry.infra.axon;

import com.mandateregistry.api.EventMetadata;
import com.mandateregistry.api.web.Caller;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.slf4j.MDC;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * Stamps every dispatched command with who sent it, for which tenant, under which correlation id
 * and when. Keys already on the command (set by system components) are kept.
 */
@Component
class CommandMetadataInterceptor implements MessageDispatchInterceptor<CommandMessage<?>> {

  /** The MDC key under which the web layer keeps the request's correlation id. */
  public static final String MDC_CORRELATION_ID = "correlation_id";

  private final Clock clock;

  CommandMetadataInterceptor(Clock clock, CommandBus commandBus) {
    this.clock = clock;
    commandBus.registerDispatchInterceptor(this);
  }

  @Override
  public BiFunction<Integer, CommandMessage<?>, CommandMessage<?>> handle(
      List<? extends CommandMessage<?>> messages) {
    return (index, command) -> {
      Map<String, Object> added = new HashMap<>();
      Authentication auth = SecurityContextHolder.getContext().getAuthentication();
      if (auth != null && auth.getPrincipal() instanceof Caller caller) {
        added.put(EventMetadata.TENANT_ID, caller.tenantId());
        added.put(EventMetadata.ACTOR_TYPE, caller.actorType());
        added.put(EventMetadata.ACTOR_ID, caller.actorId());
      }
      String correlation = MDC.get(MDC_CORRELATION_ID);
      added.put(
          EventMetadata.CORRELATION_ID,
          correlation != null ? correlation : UUID.randomUUID().toString());
      added.put(EventMetadata.ISSUED_AT, clock.instant().toString());
      added.keySet().removeAll(command.getMetaData().keySet());
      return command.andMetaData(added);
    };
  }
}

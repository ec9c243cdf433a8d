package com.mandateregistry.bench;

import com.mandateregistry.api.EventMetadata;
import com.mandateregistry.api.Ids;
import com.mandateregistry.api.tenant.RegisterTenantCommand;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.context.ApplicationContext;

/**
 * The two things the bench needs from infra's own classes, reached by name: infra's jar is a
 * Spring Boot executable jar, which javac cannot read (see bench/pom.xml), while at run time the
 * classes are there, since the bench runs inside that jar.
 */
final class InfraBeans {

  static final String APPLICATION = "com.mandateregistry.infra.MandateRegistryApplication";
  private static final String CREDENTIALS = "com.mandateregistry.infra.security.ApiKeyCredentials";

  private InfraBeans() {}

  /** A tenant and its API key. */
  record Tenant(String id, String apiKey) {
    String bearer() {
      return "Bearer " + id + ":" + apiKey;
    }
  }

  static Class<?> applicationClass() {
    try {
      return Class.forName(APPLICATION);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          APPLICATION + " is not on the class path: run the bench inside infra's jar (verify-bench.sh)", e);
    }
  }

  /** Registers a tenant and issues it a key, as an operator would (like the ITs' TestApp). */
  static Tenant newTenant(ApplicationContext context, int n) {
    String tenantId = Ids.next(Ids.TENANT);
    Map<String, String> actor =
        Map.of(
            EventMetadata.TENANT_ID, tenantId,
            EventMetadata.ACTOR_TYPE, "system",
            EventMetadata.ACTOR_ID, "verify-bench");
    context.getBean(CommandGateway.class)
        .sendAndWait(
            GenericCommandMessage.asCommandMessage(
                    new RegisterTenantCommand(tenantId, "Bench tenant " + n + " GmbH", "free"))
                .andMetaData(actor));
    try {
      Object credentials = context.getBean(Class.forName(CREDENTIALS));
      Method issue =
          credentials.getClass().getMethod("issue", String.class, String.class, List.class, Map.class);
      // every scope (ApiKeyCredentials.ALL_SCOPES, not readable from here at compile time)
      Object key =
          issue.invoke(
              credentials,
              tenantId,
              "bench",
              List.of("mandates:read", "mandates:write", "mandates:verify"),
              actor);
      String apiKey = (String) key.getClass().getMethod("apiKey").invoke(key);
      return new Tenant(tenantId, apiKey);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("cannot issue an API key", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("ApiKeyCredentials.issue is not what the bench expects", e);
    }
  }
}

package com.mandateregistry.infra.bootstrap;

import com.mandateregistry.api.EventMetadata;
import com.mandateregistry.api.Ids;
import com.mandateregistry.api.tenant.RegisterTenantCommand;
import com.mandateregistry.infra.config.RegistryProperties;
import com.mandateregistry.infra.security.ApiKeyCredentials;
import java.io.PrintStream;
import java.util.Map;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * On the first start in embedded mode ({@code mandate-registry.dev-tenant=true}), creates a
 * development tenant and prints its API key, once, to standard output. Never enabled in the
 * production profile. A PostgreSQL advisory lock keeps two nodes from both doing it.
 */
@Component
class DevTenantBootstrap {

  private static final long LOCK_ID = 0x6d616e6461746531L;

  private final RegistryProperties properties;
  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;
  private final CommandGateway commands;
  private final ApiKeyCredentials credentials;

  DevTenantBootstrap(
      RegistryProperties properties,
      JdbcTemplate jdbc,
      TransactionTemplate tx,
      CommandGateway commands,
      ApiKeyCredentials credentials) {
    this.properties = properties;
    this.jdbc = jdbc;
    this.tx = tx;
    this.commands = commands;
    this.credentials = credentials;
  }

  @EventListener
  void createDevTenantOnFirstStart(ApplicationReadyEvent ready) {
    if (properties.devTenant()) {
      // the port the server listens on (server.port, or the one chosen for 0), for the banner's curl
      String base =
          ready.getApplicationContext() instanceof WebServerApplicationContext web && web.getWebServer() != null
              ? "http://localhost:" + web.getWebServer().getPort()
              : "http://localhost:8080";
      tx.executeWithoutResult(status -> createIfFirstStart(System.out, base));
    }
  }

  private void createIfFirstStart(PrintStream out, String base) {
    jdbc.queryForObject("SELECT pg_advisory_xact_lock(?)", Object.class, LOCK_ID);
    Integer keys = jdbc.queryForObject("SELECT count(*) FROM api_key_credential", Integer.class);
    if (keys != null && keys > 0) {
      return;
    }
    String tenantId = Ids.next(Ids.TENANT);
    Map<String, String> actor =
        Map.of(
            EventMetadata.TENANT_ID, tenantId,
            EventMetadata.ACTOR_TYPE, "system",
            EventMetadata.ACTOR_ID, "dev-bootstrap");
    commands.sendAndWait(
        GenericCommandMessage.asCommandMessage(
                new RegisterTenantCommand(tenantId, "Development tenant", "free"))
            .andMetaData(actor));
    var key = credentials.issue(tenantId, "development", ApiKeyCredentials.ALL_SCOPES, actor);
    out.println();
    out.println("=====================================================================");
    out.println(" Development tenant created. The API key is shown ONCE; keep it.");
    out.println("   tenant id: " + tenantId);
    out.println("   api key:   " + key.apiKey());
    out.println(" Try:");
    out.println("   curl -H 'Authorization: Bearer " + tenantId + ":" + key.apiKey() + "' \\");
    out.println("        " + base + "/v1/mandates");
    out.println("=====================================================================");
    out.println();
  }
}

package com.mandateregistry.infra.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mandateregistry.crypto.PublicKeyInfo;
import com.mandateregistry.crypto.local.LocalKeySigner;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rotated local signing key: entries it signed still verify, because the ledger keeps publishing
 * it (retired, with {@code exp}) next to the new key.
 */
class SigningKeyRotationIT {

  @Test
  void afterARotation_bothKeysArePublished_andTheWholeTrailStillVerifies(@TempDir Path dataDir)
      throws Exception {
    TestInfrastructure infra = TestInfrastructure.get();
    String jdbcUrl = infra.newDatabase();
    String topic = infra.newTopic();
    Map<String, Object> props = Map.of("mandate-registry.data-dir", dataDir.toString());

    TestApp.Tenant tenant;
    String oldKeyId;
    try (TestApp node = TestApp.start(jdbcUrl, topic, props)) {
      tenant = node.newTenant();
      MandateLifecycleIT.createOn(node, tenant);
      List<JsonNode> events = AuditTrailIT.awaitEvents(node, tenant, 3);
      oldKeyId = events.get(0).get("key_id").asText();
    }

    // the operator rotates the key while the service is down
    LocalKeySigner keystore =
        LocalKeySigner.open(dataDir.resolve("keys").resolve("signing.p12"),
            LocalKeySigner.developmentPassword(), Clock.systemUTC());
    assertThat(keystore.keyId()).isEqualTo(oldKeyId);
    PublicKeyInfo newKey = keystore.rotate();
    assertThat(newKey.keyId()).isNotEqualTo(oldKeyId);

    try (TestApp node = TestApp.start(jdbcUrl, topic, props)) {
      String id = MandateLifecycleIT.createOn(node, tenant);
      List<JsonNode> events = AuditTrailIT.awaitEvents(node, tenant, 4);
      assertThat(events).extracting(e -> e.get("key_id").asText())
          .containsExactly(oldKeyId, oldKeyId, oldKeyId, newKey.keyId());
      assertThat(events.get(3).get("mandate_id").asText()).isEqualTo(id);

      JsonNode keys = node.api.get(null, "/v1/ledger/keys").body().get("keys");
      List<String> kids = new ArrayList<>();
      keys.forEach(k -> kids.add(k.get("kid").asText()));
      assertThat(kids).containsExactlyInAnyOrder(oldKeyId, newKey.keyId());
      keys.forEach(k -> {
        if (k.get("kid").asText().equals(oldKeyId)) {
          assertThat(k.has("exp")).as("the old key is published as retired").isTrue();
        } else {
          assertThat(k.has("exp")).as("the new key is current").isFalse();
        }
      });

      Path trail = dataDir.resolve("trail.jsonl");
      AuditTrailIT.Run export = AuditTrailIT.cli("export", "--tenant", tenant.id(), "--api", node.api.base,
          "--api-key", tenant.apiKey(), "-o", trail.toString());
      assertThat(export.exit()).as(export.err()).isZero();
      AuditTrailIT.Run verify = AuditTrailIT.cli("verify", trail.toString(), "--expect-count", "4");
      assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
    }
  }
}

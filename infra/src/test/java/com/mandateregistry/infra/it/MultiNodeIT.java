package com.mandateregistry.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one PostgreSQL and one Kafka topic, as a deployment runs them. A mandate created
 * through one is verified through the other; a revoke acknowledged by one is never followed by an
 * ALLOW from the other; a budget is shared by both; and the audit trail has every event once,
 * whichever node's processors chained it.
 */
class MultiNodeIT {

  private static TestApp a;
  private static TestApp b;

  @BeforeAll
  static void start() {
    TestInfrastructure infra = TestInfrastructure.get();
    String db = infra.newDatabase();
    String topic = infra.newTopic();
    a = TestApp.start(db, topic, Map.of());
    b = TestApp.start(db, topic, Map.of());
  }

  @AfterAll
  static void stop() {
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
  }

  private static String mandate(TestApp node, TestApp.Tenant tenant, String delegate, String constraints) {
    Api.Response r = node.api.post(tenant, "/v1/mandates", VerificationIT.mandateBody(delegate, "ALLOW", constraints));
    assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
    return r.body().get("mandate_id").asText();
  }

  /** Polls a node until its index knows the delegate's mandate. */
  private static JsonNode awaitIndexedOn(TestApp node, TestApp.Tenant tenant, String request) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> node.api.post(tenant, "/v1/verify", request),
            r -> r.status() == 200 && !r.body().get("reason_codes").toString().contains("NO_MATCHING_MANDATE"))
        .body();
  }

  /**
   * Both nodes suspend the same mandate at the same moment, ten times: one wins, the other is a
   * 409, never a 500. When both had read the same version, the loser's event hit the event table's
   * unique key, which Axon's resolver did not recognise with PostgreSQL's driver: a 500 before
   * {@code DuplicateKeyResolver} (see {@code DuplicateKeyResolverIT}).
   */
  @Test
  void theSameWriteThroughBothNodesAtOnce_oneWins_theOtherIs409() throws Exception {
    TestApp.Tenant tenant = a.newTenant();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int i = 0; i < 10; i++) {
        String path = "/v1/mandates/" + mandate(a, tenant, "monco:agent:both-write-" + i, "{}") + "/suspend";
        CountDownLatch go = new CountDownLatch(1);
        Future<Api.Response> viaA = pool.submit(() -> {
          go.await();
          return a.api.post(tenant, path, "{}");
        });
        Future<Api.Response> viaB = pool.submit(() -> {
          go.await();
          return b.api.post(tenant, path, "{}");
        });
        go.countDown();
        Api.Response first = viaA.get(30, TimeUnit.SECONDS);
        Api.Response second = viaB.get(30, TimeUnit.SECONDS);

        assertThat(List.of(first.status(), second.status()))
            .as("round " + i + ": " + first.raw().body() + " / " + second.raw().body())
            .containsExactlyInAnyOrder(200, 409);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRevokeAcknowledgedByOneNode_isNeverFollowedByAnAllowFromTheOther_andTheTrailHasNoGap() throws Exception {
    TestApp.Tenant tenant = a.newTenant();
    String id = mandate(a, tenant, "monco:agent:two-nodes", "{}");
    String request = VerificationIT.body("monco:agent:two-nodes", "{}");
    assertThat(awaitIndexedOn(b, tenant, request).get("decision").asText())
        .as("created through A, verified through B")
        .isEqualTo("ALLOW");

    // B decides; A takes the revoke: after A's acknowledgement, B allows nothing
    VerificationIT.assertNoAllowAfter(
        () -> b.api.post(tenant, "/v1/verify", request),
        () -> {
          Api.Response revoked = a.api.post(tenant, "/v1/mandates/" + id + "/revoke", "{}");
          assertThat(revoked.status()).as(revoked.raw().body()).isEqualTo(200);
          return revoked;
        },
        "revoke through the other node");

    // every stored event of the tenant is in its trail once, in order, whichever node chained it
    int stored = a.storedEvents(tenant.id(), "");
    List<JsonNode> trail =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> AuditTrailIT.allEvents(b, tenant, "/v1/events"), events -> events.size() >= stored);
    assertThat(trail).hasSize(stored);
    assertThat(trail).extracting(e -> e.get("sequence").asLong())
        .containsExactlyElementsOf(LongStream.rangeClosed(1, stored).boxed().toList());
  }

  @Test
  void aBudgetOfTenUses_isSharedByBothNodes() throws Exception {
    TestApp.Tenant tenant = a.newTenant();
    mandate(a, tenant, "monco:agent:shared-budget", "{\"budget\": {\"amount\": 10, \"currency\": \"EUR\"}}");
    String probe = VerificationIT.body("monco:agent:shared-budget", "{\"amount\": 0, \"currency\": \"EUR\"}");
    awaitIndexedOn(a, tenant, probe);
    awaitIndexedOn(b, tenant, probe);

    String oneEuro = VerificationIT.body("monco:agent:shared-budget", "{\"amount\": 1, \"currency\": \"EUR\"}");
    ExecutorService pool = Executors.newFixedThreadPool(40);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<String>> answers = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        TestApp node = i % 2 == 0 ? a : b;
        Callable<String> call = () -> {
          go.await();
          Api.Response r = node.api.post(tenant, "/v1/verify", oneEuro);
          assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
          return r.body().get("decision").asText();
        };
        answers.add(pool.submit(call));
      }
      go.countDown();
      List<String> decisions = new ArrayList<>();
      for (Future<String> f : answers) {
        decisions.add(f.get(60, TimeUnit.SECONDS));
      }
      assertThat(decisions.stream().filter("ALLOW"::equals)).as("ALLOWs across both nodes").hasSize(10);
    } finally {
      pool.shutdownNow();
    }
  }
}

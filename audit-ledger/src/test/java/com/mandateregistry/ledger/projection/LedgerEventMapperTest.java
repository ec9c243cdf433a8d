package com.mandateregistry.ledger.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mandateregistry.api.EventMetadata;
import com.mandateregistry.api.Ids;
import com.mandateregistry.api.TenantEvent;
import com.mandateregistry.api.mandate.Effect;
import com.mandateregistry.api.mandate.MandateCreatedEvent;
import com.mandateregistry.api.mandate.MandateApprovedEvent;
import com.mandateregistry.api.mandate.MandateEvent;
import com.mandateregistry.api.verification.EscalationTriggeredEvent;
import com.mandateregistry.api.verification.VerificationAllowedEvent;
import com.mandateregistry.api.verification.VerificationDeniedEvent;
import java.math.BigDecimal;
import com.mandateregistry.api.mandate.MandateExpiredEvent;
import com.mandateregistry.api.mandate.MandateReactivatedEvent;
import com.mandateregistry.api.mandate.MandateRevokedEvent;
import com.mandateregistry.api.mandate.MandateSuspendedEvent;
import com.mandateregistry.api.mandate.Scope;
import com.mandateregistry.api.mandate.Subject;
import com.mandateregistry.api.tenant.ApiKeyIssuedEvent;
import com.mandateregistry.api.tenant.TenantRegisteredEvent;
import com.mandateregistry.ledger.PendingEntry;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * From an Axon event message to the entry the ledger appends, for every event of the api module,
 * on real {@link GenericEventMessage}s with a fixed identifier and timestamp.
 */
class LedgerEventMapperTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String MESSAGE_ID = "6f0e2f4c-1d4b-4a8e-9c55-0a1b2c3d4e5f";
  private static final Instant AT = Instant.parse("2025-03-01T09:30:00.120Z");
  private static final String TENANT = "tnt_01JNB6TQ2R8S0Y4K7M9P3W5X6Z";
  private static final String MANDATE = "mdt_01JNB6VAD0F5G7H9J1K3M5N7P9";

  private static final MandateCreatedEvent CREATED =
      new MandateCreatedEvent(
          MANDATE,
          TENANT,
          new Subject("natural_person", "monco:user:max"),
          new Subject("ai_agent", "monco:agent:validate-agent-v2"),
          new Scope(
              List.of("construction.validation.*"), List.of("monco:project:proj_ABC123/**"), Effect.ALLOW),
          Map.of("maxAmount", 5000),
          Map.of("ticket", "OPS-1"),
          Instant.parse("2030-01-01T00:00:00Z"),
          Instant.parse("2025-03-01T09:30:00.100Z"));

  /** One sample of every event record of the api module, its event_type and its expected details. */
  static Stream<Arguments> everyEvent() {
    return Stream.of(
        Arguments.of(
            CREATED,
            "MANDATE_CREATED",
            "{\"principal\":{\"type\":\"natural_person\",\"subject_id\":\"monco:user:max\"},"
                + "\"delegate\":{\"type\":\"ai_agent\",\"subject_id\":\"monco:agent:validate-agent-v2\"},"
                + "\"scope\":{\"actions\":[\"construction.validation.*\"],"
                + "\"resources\":[\"monco:project:proj_ABC123/**\"],\"effect\":\"ALLOW\"},"
                + "\"constraints\":{\"maxAmount\":5000},\"metadata\":{\"ticket\":\"OPS-1\"},"
                + "\"expires_at\":\"2030-01-01T00:00:00Z\",\"created_at\":\"2025-03-01T09:30:00.100Z\"}"),
        Arguments.of(
            new MandateSuspendedEvent(MANDATE, TENANT, "Under review", Instant.parse("2025-03-02T10:00:00Z")),
            "MANDATE_SUSPENDED",
            "{\"reason\":\"Under review\",\"suspended_at\":\"2025-03-02T10:00:00Z\"}"),
        Arguments.of(
            new MandateReactivatedEvent(MANDATE, TENANT, Instant.parse("2025-03-03T10:00:00.5Z")),
            "MANDATE_REACTIVATED",
            "{\"reactivated_at\":\"2025-03-03T10:00:00.500Z\"}"),
        Arguments.of(
            new MandateRevokedEvent(MANDATE, TENANT, "Contract terminated", Instant.parse("2025-03-04T10:00:00Z")),
            "MANDATE_REVOKED",
            "{\"reason\":\"Contract terminated\",\"revoked_at\":\"2025-03-04T10:00:00Z\"}"),
        Arguments.of(
            new MandateExpiredEvent(MANDATE, TENANT, Instant.parse("2030-01-01T00:00:00Z")),
            "MANDATE_EXPIRED",
            "{\"expired_at\":\"2030-01-01T00:00:00Z\"}"),
        Arguments.of(
            new TenantRegisteredEvent(TENANT, "Monco GmbH", "enterprise", Instant.parse("2025-02-01T08:00:00Z")),
            "TENANT_REGISTERED",
            "{\"company_name\":\"Monco GmbH\",\"plan\":\"enterprise\",\"registered_at\":\"2025-02-01T08:00:00Z\"}"),
        Arguments.of(
            new ApiKeyIssuedEvent(TENANT, "key_01JNB6TZ4C6E8G0J2L4N6Q8S0U", "ci",
                List.of("mandates:read", "mandates:write"), Instant.parse("2025-02-01T08:00:01Z")),
            "API_KEY_ISSUED",
            "{\"key_id\":\"key_01JNB6TZ4C6E8G0J2L4N6Q8S0U\",\"name\":\"ci\","
                + "\"scopes\":[\"mandates:read\",\"mandates:write\"],\"issued_at\":\"2025-02-01T08:00:01Z\"}"),
        Arguments.of(
            new MandateApprovedEvent(MANDATE, TENANT, Instant.parse("2025-03-01T11:00:00Z")),
            "MANDATE_APPROVED",
            "{\"approved_at\":\"2025-03-01T11:00:00Z\"}"),
        Arguments.of(
            new VerificationAllowedEvent(TENANT, MANDATE, "monco:agent:validate-agent-v2",
                "construction.validation.approve", "monco:project:proj_ABC123/zone:EG",
                Map.of("amount", 12.5, "currency", "EUR"), Map.of("uses_remaining", 9), true,
                Instant.parse("2025-03-05T10:00:00.250Z")),
            "VERIFICATION_ALLOWED",
            "{\"delegate_subject_id\":\"monco:agent:validate-agent-v2\","
                + "\"action\":\"construction.validation.approve\","
                + "\"resource\":\"monco:project:proj_ABC123/zone:EG\","
                + "\"context\":{\"amount\":12.5,\"currency\":\"EUR\"},"
                + "\"constraints_remaining\":{\"uses_remaining\":9},\"proof_issued\":true,"
                + "\"decided_at\":\"2025-03-05T10:00:00.250Z\"}"),
        Arguments.of(
            new VerificationDeniedEvent(TENANT, null, "monco:agent:x", "a.b", "r:1",
                List.of("NO_MATCHING_MANDATE"), Map.of(), Instant.parse("2025-03-05T10:00:01Z")),
            "VERIFICATION_DENIED",
            "{\"delegate_subject_id\":\"monco:agent:x\",\"action\":\"a.b\",\"resource\":\"r:1\","
                + "\"reason_codes\":[\"NO_MATCHING_MANDATE\"],\"context\":{},"
                + "\"decided_at\":\"2025-03-05T10:00:01Z\"}"),
        Arguments.of(
            new EscalationTriggeredEvent(TENANT, MANDATE, "monco:agent:x", "a.b", "r:1",
                new BigDecimal("7500.00"), "EUR", new BigDecimal("5000"), "evt_01JNB6X0A2C4E6G8J0L2N4Q6S8",
                Instant.parse("2025-03-05T10:00:02Z")),
            "ESCALATION_TRIGGERED",
            "{\"delegate_subject_id\":\"monco:agent:x\",\"action\":\"a.b\",\"resource\":\"r:1\","
                + "\"amount\":7500,\"currency\":\"EUR\",\"threshold\":5000,"
                + "\"verification_event_id\":\"evt_01JNB6X0A2C4E6G8J0L2N4Q6S8\","
                + "\"decided_at\":\"2025-03-05T10:00:02Z\"}"));
  }

  private static EventMessage<?> message(Object payload, Map<String, ?> metaData) {
    return new GenericEventMessage<>(MESSAGE_ID, payload, MetaData.from(metaData), AT);
  }

  private static Map<String, Object> fullMetaData() {
    Map<String, Object> metaData = new LinkedHashMap<>();
    metaData.put(EventMetadata.TENANT_ID, TENANT);
    metaData.put(EventMetadata.ACTOR_TYPE, "api_key");
    metaData.put(EventMetadata.ACTOR_ID, "key_01JNB6TZ4C6E8G0J2L4N6Q8S0U");
    metaData.put(EventMetadata.CORRELATION_ID, "req_01JNB6W0000000000000000000");
    metaData.put(EventMetadata.ISSUED_AT, "2025-03-01T09:29:59.900Z");
    return metaData;
  }

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("everyEvent")
  void toPending_eventType_isTheClassNameInUpperSnakeCase(TenantEvent event, String eventType) {
    assertThat(LedgerEventMapper.toPending(message(event, fullMetaData())).eventType()).isEqualTo(eventType);
    assertThat(LedgerEventMapper.eventType(event.getClass())).isEqualTo(eventType);
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("everyEvent")
  void toPending_mandateId_isSetOnlyForMandateEvents(TenantEvent event, String eventType) {
    PendingEntry pending = LedgerEventMapper.toPending(message(event, fullMetaData()));
    if (event instanceof MandateEvent m) {
      assertThat(m.mandateId()).isIn(MANDATE, null);
      assertThat(pending.mandateId()).isEqualTo(m.mandateId());
    } else {
      assertThat(pending.mandateId()).isNull();
    }
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("everyEvent")
  void toPending_tenantId_isThePayloads_notTheMetadatas(TenantEvent event, String eventType) {
    Map<String, Object> metaData = fullMetaData();
    metaData.put(EventMetadata.TENANT_ID, "tnt_FROM_METADATA");
    assertThat(LedgerEventMapper.toPending(message(event, metaData)).tenantId()).isEqualTo(TENANT);
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("everyEvent")
  void toPending_details_areThePayloadInSnakeCase_withoutTenantAndMandate_plusCorrelationId(
      TenantEvent event, String eventType, String expectedDetails) throws Exception {
    PendingEntry pending = LedgerEventMapper.toPending(message(event, fullMetaData()));
    JsonNode expected = json(expectedDetails);
    ((ObjectNode) expected).put("correlation_id", "req_01JNB6W0000000000000000000");
    assertThat(json(pending.details())).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("everyEvent")
  void toPending_withoutCorrelationId_hasNoCorrelationIdInDetails(
      TenantEvent event, String eventType, String expectedDetails) throws Exception {
    Map<String, Object> metaData = fullMetaData();
    metaData.remove(EventMetadata.CORRELATION_ID);
    PendingEntry pending = LedgerEventMapper.toPending(message(event, metaData));
    assertThat(json(pending.details())).isEqualTo(json(expectedDetails));
    assertThat(json(pending.details()).has("correlation_id")).isFalse();
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("everyEvent")
  void toPending_eventId_isDerivedFromTheMessageIdentifierAndTimestamp(TenantEvent event, String eventType) {
    PendingEntry pending = LedgerEventMapper.toPending(message(event, fullMetaData()));
    assertThat(pending.eventId()).isEqualTo(Ids.eventId(MESSAGE_ID, AT));
    assertThat(Ids.isValid(Ids.EVENT, pending.eventId())).isTrue();
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("everyEvent")
  void toPending_sameMessageTwice_givesEqualEntries(TenantEvent event, String eventType) {
    EventMessage<?> message = message(event, fullMetaData());
    PendingEntry first = LedgerEventMapper.toPending(message);
    PendingEntry second = LedgerEventMapper.toPending(message);
    assertThat(second).isEqualTo(first);
    // and a message rebuilt from the same parts (as after a redelivery from the topic)
    assertThat(LedgerEventMapper.toPending(message(event, fullMetaData()))).isEqualTo(first);
  }

  @Test
  void toPending_details_keepUserMapKeysAsGiven_andNestedRecordsInSnakeCase() throws Exception {
    JsonNode details = json(LedgerEventMapper.toPending(message(CREATED, fullMetaData())).details());
    assertThat(details.at("/delegate/subject_id").asText()).isEqualTo("monco:agent:validate-agent-v2");
    assertThat(details.at("/principal/subject_id").asText()).isEqualTo("monco:user:max");
    assertThat(details.at("/delegate").has("subjectId")).isFalse();
    assertThat(details.at("/constraints/maxAmount").asInt()).isEqualTo(5000);
    assertThat(details.at("/expires_at").isTextual()).isTrue();
    assertThat(details.has("tenant_id")).isFalse();
    assertThat(details.has("mandate_id")).isFalse();
  }

  @Test
  void toPending_nullField_isKeptAsNullInDetails() throws Exception {
    MandateRevokedEvent revoked = new MandateRevokedEvent(MANDATE, TENANT, null, Instant.parse("2025-03-04T10:00:00Z"));
    JsonNode details = json(LedgerEventMapper.toPending(message(revoked, Map.of())).details());
    assertThat(details.has("reason")).isTrue();
    assertThat(details.get("reason").isNull()).isTrue();
  }

  @Test
  void toPending_actor_isTypeAndIdFromTheMetadata() throws Exception {
    PendingEntry pending = LedgerEventMapper.toPending(message(CREATED, fullMetaData()));
    assertThat(json(pending.actor()))
        .isEqualTo(json("{\"type\":\"api_key\",\"id\":\"key_01JNB6TZ4C6E8G0J2L4N6Q8S0U\"}"));
  }

  @Test
  void toPending_withoutActorMetadata_actorIsSystemUnknown() throws Exception {
    PendingEntry pending = LedgerEventMapper.toPending(message(CREATED, Map.of()));
    assertThat(json(pending.actor())).isEqualTo(json("{\"type\":\"system\",\"id\":\"unknown\"}"));
  }

  @Test
  void toPending_withEmptyActorValues_fallsBackPerField() throws Exception {
    Map<String, Object> onlyType = Map.of(EventMetadata.ACTOR_TYPE, "scheduler", EventMetadata.ACTOR_ID, "");
    assertThat(json(LedgerEventMapper.toPending(message(CREATED, onlyType)).actor()))
        .isEqualTo(json("{\"type\":\"scheduler\",\"id\":\"unknown\"}"));
    Map<String, Object> onlyId = Map.of(EventMetadata.ACTOR_ID, "mandate-expiry");
    assertThat(json(LedgerEventMapper.toPending(message(CREATED, onlyId)).actor()))
        .isEqualTo(json("{\"type\":\"system\",\"id\":\"mandate-expiry\"}"));
  }

  @Test
  void toPending_timestamp_isTheMessagesTruncatedToTheMillisecond() {
    Instant precise = Instant.parse("2025-03-01T09:30:00.120987654Z");
    EventMessage<?> message = new GenericEventMessage<>(MESSAGE_ID, CREATED, MetaData.emptyInstance(), precise);
    PendingEntry pending = LedgerEventMapper.toPending(message);
    assertThat(pending.timestamp()).isEqualTo(Instant.parse("2025-03-01T09:30:00.120Z"));
    // the event id's time part carries the same millisecond
    assertThat(pending.eventId()).isEqualTo(Ids.eventId(MESSAGE_ID, Instant.parse("2025-03-01T09:30:00.120Z")));
  }

  @Test
  void toPending_otherMessageIdentifier_givesOtherEventId() {
    PendingEntry a = LedgerEventMapper.toPending(message(CREATED, fullMetaData()));
    PendingEntry b = LedgerEventMapper.toPending(
        new GenericEventMessage<>("another-identifier", CREATED, MetaData.from(fullMetaData()), AT));
    assertThat(b.eventId()).isNotEqualTo(a.eventId());
  }

  @Test
  void toPending_payloadThatIsNotATenantEvent_isRefused() {
    EventMessage<?> message = message("just a string", fullMetaData());
    assertThatThrownBy(() -> LedgerEventMapper.toPending(message))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.String");
  }

  @Test
  void eventType_ofApiKeyIssuedEvent_isAPI_KEY_ISSUED() {
    assertThat(LedgerEventMapper.eventType(ApiKeyIssuedEvent.class)).isEqualTo("API_KEY_ISSUED");
  }

  /** Test-only: a name with an acronym in it. */
  private record KMSKeyRotatedEvent(String tenantId) {}

  @Test
  void eventType_keepsAnAcronymAsOneWord() {
    assertThat(LedgerEventMapper.eventType(KMSKeyRotatedEvent.class)).isEqualTo("KMS_KEY_ROTATED");
  }

  @Test
  void eventType_ofAClassWithoutEventSuffix_isItsWholeNameInUpperSnakeCase() {
    assertThat(LedgerEventMapper.eventType(MandateCreated2Fact.class)).isEqualTo("MANDATE_CREATED2_FACT");
  }

  /** Test-only type, named to exercise {@link LedgerEventMapper#eventType}. */
  private record MandateCreated2Fact() {}

  /**
   * The samples above cover every event record of the api module, so a new event cannot be added
   * without this test mapping it.
   */
  @Test
  void everyEventRecordOfTheApi_hasASampleInThisTest() {
    Set<String> apiEventRecords =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.mandateregistry.api")
            .stream()
            .filter(JavaClass::isRecord)
            .filter(c -> c.getSimpleName().endsWith("Event"))
            .map(JavaClass::getName)
            .collect(Collectors.toSet());
    Set<String> sampled =
        everyEvent().map(a -> a.get()[0].getClass().getName()).collect(Collectors.toSet());
    assertThat(apiEventRecords).isEqualTo(sampled);
  }
}

package com.mandateregistry.ledger.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.mandateregistry.api.TenantEvent;
import com.mandateregistry.ledger.projection.LedgerEventMapper;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every event of the product reaches the ledger with a type that {@code GET /v1/events?event_type=}
 * accepts: each event record of the api module is a {@link TenantEvent} (so the ledger projection
 * handles it) and its {@link LedgerEventMapper#eventType} is in {@link LedgerEventTypes#ALL}.
 */
class LedgerEventTypesTest {

  private static List<JavaClass> apiEventRecords;

  @BeforeAll
  static void scanTheApi() {
    apiEventRecords =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.mandateregistry.api")
            .stream()
            .filter(JavaClass::isRecord)
            .filter(c -> c.getSimpleName().endsWith("Event"))
            .toList();
  }

  @Test
  void theScan_findsTheApisEventRecords() {
    assertThat(apiEventRecords)
        .extracting(JavaClass::getName)
        .contains(
            "com.mandateregistry.api.mandate.MandateCreatedEvent",
            "com.mandateregistry.api.tenant.ApiKeyIssuedEvent");
  }

  @Test
  void everyEventRecordOfTheApi_isATenantEvent() {
    assertThat(apiEventRecords)
        .allSatisfy(c -> assertThat(TenantEvent.class.isAssignableFrom(c.reflect()))
            .as(c.getName() + " implements TenantEvent")
            .isTrue());
  }

  @Test
  void everyEventRecordOfTheApi_hasAQueryableEventType() {
    assertThat(apiEventRecords)
        .allSatisfy(c -> assertThat(LedgerEventTypes.ALL)
            .as("event_type of " + c.getName())
            .contains(LedgerEventMapper.eventType(c.reflect())));
  }

  @Test
  void allEventTypes_areDistinct() {
    assertThat(LedgerEventTypes.ALL).doesNotHaveDuplicates();
  }
}

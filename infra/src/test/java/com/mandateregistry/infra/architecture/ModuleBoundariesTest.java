package com.mandateregistry.infra.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.mandateregistry.api.TenantEvent;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The module boundaries of PRODUCT.md: command side, query side and audit ledger meet only through
 * {@code api} and the event stream; only crypto-signing touches the KMS SDK; {@code api} is free of
 * Spring; every event of {@code api} belongs to a tenant. Every rule first checks that the packages
 * it speaks about exist, so that it cannot pass by matching nothing.
 */
class ModuleBoundariesTest {

  private static final String API = "com.mandateregistry.api..";
  private static final String COMMAND = "com.mandateregistry.command..";
  private static final String QUERY = "com.mandateregistry.query..";
  private static final String LEDGER = "com.mandateregistry.ledger..";
  private static final String CRYPTO = "com.mandateregistry.crypto..";
  private static final String INFRA = "com.mandateregistry.infra..";

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.mandateregistry");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "com.mandateregistry.api",
        "com.mandateregistry.command",
        "com.mandateregistry.query",
        "com.mandateregistry.ledger",
        "com.mandateregistry.crypto",
        "com.mandateregistry.infra"
      })
  void everyModulePackageExists(String pkg) {
    assertThat(classes.stream().anyMatch(c -> c.getPackageName().startsWith(pkg)))
        .as("classes in " + pkg)
        .isTrue();
  }

  @Test
  void api_dependsOnNoOtherModule_andNotOnSpring() {
    noClasses()
        .that()
        .resideInAPackage(API)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(COMMAND, QUERY, LEDGER, CRYPTO, INFRA, "org.springframework..")
        .check(classes);
  }

  /**
   * Every event is keyed by its tenant: the Kafka publisher partitions by {@link
   * TenantEvent#tenantId()} and the audit ledger chains only tenant events, so an event record that
   * is not a {@link TenantEvent} would be neither ordered per tenant nor audited. (The rule fails if
   * it matches no class, so it cannot pass by finding no events.)
   */
  @Test
  void apiEventRecords_areTenantEvents() {
    classes()
        .that()
        .resideInAPackage(API)
        .and()
        .areRecords()
        .and()
        .haveSimpleNameEndingWith("Event")
        .should()
        .implement(TenantEvent.class)
        .check(classes);
  }

  @Test
  void commandSide_meetsOthersOnlyThroughApi() {
    noClasses()
        .that()
        .resideInAPackage(COMMAND)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(QUERY, LEDGER, CRYPTO, INFRA)
        .check(classes);
  }

  @Test
  void querySide_meetsOthersOnlyThroughApi() {
    noClasses()
        .that()
        .resideInAPackage(QUERY)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(COMMAND, LEDGER, INFRA)
        .check(classes);
  }

  @Test
  void auditLedger_meetsOthersOnlyThroughApiAndCrypto() {
    noClasses()
        .that()
        .resideInAPackage(LEDGER)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(COMMAND, QUERY, INFRA)
        .check(classes);
  }

  @Test
  void cryptoSigning_dependsOnNoOtherModule() {
    noClasses()
        .that()
        .resideInAPackage(CRYPTO)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(API, COMMAND, QUERY, LEDGER, INFRA)
        .check(classes);
  }

  @Test
  void onlyCryptoSigning_touchesTheKmsSdk() {
    noClasses()
        .that()
        .resideOutsideOfPackage(CRYPTO)
        .should()
        .dependOnClassesThat()
        .resideInAPackage("software.amazon.awssdk..")
        .check(classes);
  }

  @Test
  void modules_doNotUseSpringSecurity_exceptInfra() {
    noClasses()
        .that()
        .resideInAnyPackage(API, COMMAND, QUERY, LEDGER, CRYPTO)
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.springframework.security..")
        .check(classes);
  }
}

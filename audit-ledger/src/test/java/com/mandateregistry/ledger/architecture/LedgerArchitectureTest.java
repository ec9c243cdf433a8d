package com.mandateregistry.ledger.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ledger's format, verifier, JDBC mapping and CLI run without Spring (the CLI jar carries only
 * what they use); nothing reads the wall clock except the CLI's entry point. Every rule first checks
 * that its packages exist.
 */
class LedgerArchitectureTest {

  private static final String[] OFFLINE = {
    "com.mandateregistry.ledger.format..",
    "com.mandateregistry.ledger.verify..",
    "com.mandateregistry.ledger.jdbc..",
    "com.mandateregistry.ledger.cli.."
  };

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("com.mandateregistry.ledger");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "com.mandateregistry.ledger",
    "com.mandateregistry.ledger.format",
    "com.mandateregistry.ledger.verify",
    "com.mandateregistry.ledger.jdbc",
    "com.mandateregistry.ledger.cli",
    "com.mandateregistry.ledger.config",
    "com.mandateregistry.ledger.projection",
    "com.mandateregistry.ledger.web"
  })
  void packageExists(String pkg) {
    assertThat(classes.stream().anyMatch(c -> c.getPackageName().equals(pkg))).as(pkg).isTrue();
  }

  @Test
  void offlinePackages_useOnlyWhatTheCliJarShips() {
    classes().that().resideInAnyPackage(OFFLINE)
        .should().onlyDependOnClassesThat().resideInAnyPackage(
            "java..", "javax..",
            "com.mandateregistry.ledger.format..", "com.mandateregistry.ledger.verify..",
            "com.mandateregistry.ledger.jdbc..", "com.mandateregistry.ledger.cli..",
            "com.fasterxml.jackson..", "org.erdtman.jcs..", "com.nimbusds..", "org.bouncycastle..", "picocli..")
        .check(classes);
  }

  @Test
  void ledger_meetsOtherModulesOnlyThroughApiAndCrypto() {
    noClasses().that().resideInAPackage("com.mandateregistry.ledger..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "com.mandateregistry.command..", "com.mandateregistry.query..", "com.mandateregistry.infra..")
        .check(classes);
  }

  @Test
  void nothingReadsTheWallClock_exceptTheCliEntryPoint() {
    noClasses().that().resideInAPackage("com.mandateregistry.ledger..")
        .and().doNotHaveFullyQualifiedName("com.mandateregistry.ledger.cli.LedgerCli")
        .should().callMethod(Instant.class, "now")
        .orShould().callMethod(Clock.class, "systemUTC")
        .orShould().callMethod(Clock.class, "systemDefaultZone")
        .check(classes);
  }
}

package com.mandateregistry.ledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.mandateregistry.ledger.testsupport.LedgerDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A database export of a tenant id the ledger does not know (a typo): every tenant's chain starts
 * with its registration, so there is no empty trail to export; it is an error (exit 3), and no file
 * is left that would verify as an intact, empty trail.
 */
class DatabaseExportTenantTest {

  @TempDir Path dir;

  @Test
  void exportingATenantTheLedgerDoesNotKnow_isNotAnIntactEmptyTrail() throws Exception {
    LedgerDatabase db = LedgerDatabase.create();
    Path export = dir.resolve("typo.jsonl");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = LedgerCli.commandLine(new LedgerCli());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute("export", "--tenant", "tnt_01NOSUCHTENANT0000000000000", "--jdbc-url", db.jdbcUrl(),
        "--db-user", "postgres", "--db-password=postgres", "-o", export.toString());
    assertThat(code).as("export of an unknown tenant; stderr: %s", err).isEqualTo(LedgerCli.ERROR);
    assertThat(err.toString()).contains("no audit trail of tenant tnt_01NOSUCHTENANT0000000000000");
    assertThat(export).as("no file left behind").doesNotExist();
    try (var files = Files.list(dir)) {
      assertThat(files).as("nor a partial one").isEmpty();
    }
  }
}

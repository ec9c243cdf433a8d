package com.mandateregistry.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.mandateregistry.ledger.testsupport.LedgerDatabase;
import com.mandateregistry.ledger.testsupport.TestSigner;
import com.mandateregistry.ledger.testsupport.Trails;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The start's reads of the whole ledger table ({@link LedgerRepository#tenantIds}, {@link
 * LedgerRepository#latestEntrySignedBy}) run without the sessions' statement timeout, which a large
 * table would outlast and so stop every start, and leave the session's own timeout in place. Here
 * the session has a timeout of 500 ms, given at connect as the service gives it, and the reads take
 * longer: another session holds the table locked for 1.5 s.
 */
class LedgerStatementTimeoutIT {

  private static final String TENANT = "tnt_A";

  private LedgerDatabase db;
  private Connection session;
  private SingleConnectionDataSource onSession;
  private LedgerRepository repository;
  private TestSigner signer;

  @BeforeEach
  void setUp() throws Exception {
    db = LedgerDatabase.create();
    signer = TestSigner.generate();
    new AuditLedger(new LedgerRepository(db.jdbc()), db.transactionManager(), signer, signer.ledgerKey(),
            Clock.fixed(Instant.parse("2025-03-05T12:00:00Z"), ZoneOffset.UTC))
        .append(Trails.event(TENANT, 0));
    Properties props = new Properties();
    props.setProperty("user", "postgres");
    props.setProperty("password", "postgres");
    props.setProperty("options", "-c statement_timeout=500");
    session = DriverManager.getConnection(db.jdbcUrl(), props);
    onSession = new SingleConnectionDataSource(session, true);
    repository = new LedgerRepository(new JdbcTemplate(onSession));
  }

  @AfterEach
  void tearDown() throws Exception {
    session.close();
  }

  private String statementTimeout() {
    return new JdbcTemplate(onSession).queryForObject("SHOW statement_timeout", String.class);
  }

  /** Another session locks the ledger table and lets go after {@code millis}. */
  private CompletableFuture<Void> lockTableFor(long millis) throws Exception {
    Connection holder = db.dataSource().getConnection();
    holder.setAutoCommit(false);
    try (Statement s = holder.createStatement()) {
      s.execute("LOCK TABLE ledger_entry IN ACCESS EXCLUSIVE MODE");
    }
    return CompletableFuture.runAsync(() -> {
      try (holder) {
        TimeUnit.MILLISECONDS.sleep(millis);
        holder.commit();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Test
  void tenantIds_outlastsTheTimeout_andTheSessionKeepsIt() throws Exception {
    assertThat(statementTimeout()).isEqualTo("500ms");
    CompletableFuture<Void> released = lockTableFor(1_500);
    long t0 = System.nanoTime();

    assertThat(repository.tenantIds()).containsExactly(TENANT);

    assertThat((System.nanoTime() - t0) / 1_000_000).as("waited for the lock, past the timeout").isGreaterThan(1_000);
    assertThat(statementTimeout()).as("the session's own again").isEqualTo("500ms");
    released.join();
  }

  @Test
  void latestEntrySignedBy_inATransaction_outlastsTheTimeout_untilTheTransactionEnds() throws Exception {
    TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(onSession));
    CompletableFuture<Void> released = lockTableFor(1_500);
    long t0 = System.nanoTime();

    Instant latest = transaction.execute(status -> repository.latestEntrySignedBy(signer.keyId()).orElseThrow());

    assertThat(latest).isEqualTo(Trails.event(TENANT, 0).timestamp());
    assertThat((System.nanoTime() - t0) / 1_000_000).as("waited for the lock, past the timeout").isGreaterThan(1_000);
    assertThat(statementTimeout()).as("the session's own after the transaction").isEqualTo("500ms");
    released.join();
  }
}

package com.mandateregistry.infra.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedPostgresServerTest {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServerTest.class);

    @TempDir
    Path dataDir;

    @Test
    void rowsSurviveARestartOnTheSameDirectoryAndPort() throws Exception {
        int port;
        long t0 = System.nanoTime();
        try (EmbeddedPostgresServer pg = new EmbeddedPostgresServer(dataDir, 0)) {
            LOG.info("PostgreSQL first start (initdb) took {} ms", millisSince(t0));
            port = pg.port();
            assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:" + port + "/mandates");
            assertThat(pg.dataDirectory()).isEqualTo(dataDir.toAbsolutePath().normalize().resolve("postgres"));
            try (Connection c = pg.connect(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE mandate (id text PRIMARY KEY, status text NOT NULL)");
                st.execute("INSERT INTO mandate VALUES ('mdt_01', 'ACTIVE')");
                // an acknowledged commit is on disk: zonky's defaults (-F, synchronous_commit=off) are overridden
                assertThat(setting(st, "fsync")).isEqualTo("on");
                assertThat(setting(st, "synchronous_commit")).isEqualTo("on");
                // a commit does not wait for a new WAL file to be filled with zeroes
                assertThat(setting(st, "wal_init_zero")).isEqualTo("off");
            }
        }

        long t1 = System.nanoTime();
        try (EmbeddedPostgresServer pg = new EmbeddedPostgresServer(dataDir, port)) {
            LOG.info("PostgreSQL restart took {} ms", millisSince(t1));
            assertThat(pg.port()).isEqualTo(port);
            try (Connection c = java.sql.DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
                 Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT id, status FROM mandate")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("id")).isEqualTo("mdt_01");
                assertThat(rs.getString("status")).isEqualTo("ACTIVE");
                assertThat(rs.next()).isFalse();
                assertThat(c.getMetaData().getDatabaseProductVersion()).startsWith("17.");
            }
        }
    }

    @Test
    void staleLockFileFromACrashedRunIsRemoved() throws Exception {
        try (EmbeddedPostgresServer pg = new EmbeddedPostgresServer(dataDir, 0)) {
            assertThat(pg.database()).isEqualTo("mandates");
        }
        // a crashed run leaves postmaster.pid behind; its PID may since belong to an unrelated process
        Path pgData = dataDir.toAbsolutePath().normalize().resolve("postgres");
        Path pidFile = pgData.resolve("postmaster.pid");
        Files.writeString(pidFile, ProcessHandle.current().pid() + "\n" + pgData + "\n1700000000\n5432\n",
                StandardCharsets.UTF_8);

        try (EmbeddedPostgresServer pg = new EmbeddedPostgresServer(dataDir, 0);
             Connection c = pg.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_database()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("mandates");
        }
    }

    @Test
    void aRunningServerIsNotDisturbedByASecondStartOnItsDirectory() throws Exception {
        try (EmbeddedPostgresServer pg = new EmbeddedPostgresServer(dataDir, 0)) {
            assertThatThrownBy(() -> new EmbeddedPostgresServer(dataDir, 0))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use");
            try (Connection c = pg.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
        }
    }

    @Test
    void closeIsIdempotent() {
        EmbeddedPostgresServer pg = new EmbeddedPostgresServer(dataDir, 0, "other_db");
        assertThat(pg.jdbcUrl()).endsWith("/other_db");
        pg.close();
        pg.close();
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private static String setting(Statement st, String name) throws java.sql.SQLException {
        try (ResultSet rs = st.executeQuery("SHOW " + name)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}

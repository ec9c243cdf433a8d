package com.mandateregistry.ledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mandateregistry.ledger.format.ExportHeader;
import com.mandateregistry.ledger.format.LedgerJson;
import com.mandateregistry.ledger.format.LedgerKey;
import com.mandateregistry.ledger.format.LedgerKeySet;
import com.mandateregistry.ledger.jdbc.LedgerRows;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ledger export}: writes a tenant's trail as JSON Lines: a header line with the public keys
 * ({@link ExportHeader}), then one entry per line in ascending sequence ({@link LedgerJson}).
 * Source: the database (JDBC, one REPEATABLE READ snapshot, streamed) or the REST API ({@code GET
 * /v1/ledger/keys} and {@code GET /v1/events}, paged with the cursor).
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Exports one tenant's audit trail to JSON Lines: a header line (format, tenant, time, public"
          + " keys as JWKs with kid, nbf, exp), then one entry per line in ascending sequence.",
      "",
      "Source: the database (--jdbc-url, read in one snapshot) or the REST API (--api)."
    })
final class ExportCommand implements Callable<Integer> {

  private static final int FETCH_SIZE = 1000;
  private static final int MAX_ATTEMPTS = 5;
  private static final SecureRandom RANDOM = new SecureRandom();

  @Spec CommandSpec spec;

  @ParentCommand LedgerCli cli;

  @Option(names = "--tenant", required = true, paramLabel = "TENANT_ID", description = "The tenant, e.g. tnt_01J….")
  String tenantId;

  @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Where to write (default: standard output).")
  Path out;

  @Option(names = "--jdbc-url", paramLabel = "URL", description = "Read from PostgreSQL, e.g. jdbc:postgresql://db:5432/mandates.")
  String jdbcUrl;

  @Option(names = "--db-user", paramLabel = "USER", description = "Database user (a read-only role will do).")
  String dbUser;

  @Option(
      names = "--db-password",
      arity = "0..1",
      interactive = true,
      paramLabel = "PASSWORD",
      description = "Database password; without a value it is prompted for.")
  char[] dbPassword;

  @Option(names = "--db-password-env", paramLabel = "VAR", description = "Read the database password from this environment variable.")
  String dbPasswordEnv;

  @Option(names = "--db-password-file", paramLabel = "FILE", description = "Read the database password from the first line of this file.")
  Path dbPasswordFile;

  @Option(names = "--api", paramLabel = "BASE_URL", description = "Read through the REST API at this base URL, e.g. https://registry.example.com.")
  URI api;

  @Option(
      names = "--api-key",
      arity = "0..1",
      interactive = true,
      paramLabel = "API_KEY",
      description = "The tenant API key; without a value it is prompted for. Sent as 'Authorization: Bearer <tenant>:<key>'.")
  char[] apiKey;

  @Option(names = "--api-key-env", paramLabel = "VAR", description = "Read the API key from this environment variable.")
  String apiKeyEnv;

  @Option(names = "--api-key-file", paramLabel = "FILE", description = "Read the API key from the first line of this file.")
  Path apiKeyFile;

  @Option(names = "--page-size", paramLabel = "N", description = "API page size, 1..200 (default ${DEFAULT-VALUE}).")
  int pageSize = 200;

  @Option(names = {"-q", "--quiet"}, description = "No progress on standard error.")
  boolean quiet;

  @Override
  public Integer call() throws IOException, SQLException, InterruptedException {
    if ((jdbcUrl == null) == (api == null)) {
      throw new ParameterException(spec.commandLine(), "give exactly one source: --jdbc-url or --api");
    }
    if (pageSize < 1 || pageSize > 200) {
      throw new ParameterException(spec.commandLine(), "--page-size must be 1..200");
    }
    // to a file: written beside it and moved onto it only when complete, so that a failed export
    // neither leaves a shorter trail behind (which would verify, unless its head is pinned) nor
    // destroys the previous export
    Path target = out == null ? null : followLinks(out);
    Path partial = target == null ? null : partialFile(target);
    boolean done = false;
    try {
      long count;
      try (OutputStream stream =
              partial == null
                  ? new NonClosing(System.out)
                  : Files.newOutputStream(partial, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
          BufferedWriter writer =
              new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16)) {
        count = jdbcUrl != null ? fromDatabase(writer) : fromApi(writer);
        writer.flush();
      }
      // standard output is a PrintStream, which keeps its write errors (a full disk, a closed
      // pipe) to itself: ask it
      if (partial == null && System.out.checkError()) {
        throw new IOException("standard output could not be written (a full disk or a closed pipe?)");
      }
      if (partial != null) {
        moveOnto(partial, target);
      }
      done = true;
      if (!quiet) {
        PrintWriter err = spec.commandLine().getErr();
        err.printf("exported %,d entries of tenant %s%s%n", count, tenantId,
            out == null ? "" : " to " + out);
        err.flush();
      }
    } finally {
      if (partial != null && !done) {
        Files.deleteIfExists(partial);
      }
    }
    return LedgerCli.INTACT;
  }

  /**
   * Where {@code -o} leads: the file a symbolic link names (the export replaces that file, and the
   * link stays), else {@code -o} itself.
   */
  private static Path followLinks(Path out) throws IOException {
    Path path = out.toAbsolutePath();
    for (int hops = 0; Files.isSymbolicLink(path); hops++) {
      if (hops == 40) {
        throw new IOException(out + ": too many levels of symbolic links");
      }
      path = path.getParent().resolve(Files.readSymbolicLink(path)).normalize();
    }
    return path;
  }

  /**
   * A new, empty file beside {@code target}, for the export until it is complete: created as any
   * new file is (its mode from the umask), or with the mode of the file it will replace; removed if
   * the process is stopped before it is moved into place.
   */
  private static Path partialFile(Path target) throws IOException {
    Path partial =
        target.resolveSibling("." + target.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".partial");
    Files.newOutputStream(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
    partial.toFile().deleteOnExit();
    if (Files.exists(target)) {
      try {
        Files.setPosixFilePermissions(partial, Files.getPosixFilePermissions(target));
      } catch (UnsupportedOperationException notPosix) {
        // the file system has no POSIX modes to keep
      }
    }
    return partial;
  }

  private static void moveOnto(Path partial, Path target) throws IOException {
    try {
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private long fromDatabase(Writer writer) throws IOException, SQLException {
    Properties properties = new Properties();
    if (dbUser != null) {
      properties.setProperty("user", dbUser);
    }
    char[] password = secret(dbPassword, dbPasswordEnv, dbPasswordFile, "--db-password");
    if (password != null) {
      properties.setProperty("password", new String(password));
    }
    try (Connection connection = DriverManager.getConnection(jdbcUrl, properties)) {
      connection.setAutoCommit(false);
      connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      connection.setReadOnly(true);
      List<LedgerKey> keys = new ArrayList<>();
      try (PreparedStatement ps = connection.prepareStatement(LedgerRows.SELECT_KEYS);
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          keys.add(LedgerRows.key(rs));
        }
      }
      // every tenant's chain starts with its registration: no chain head is a tenant id that is
      // wrong (or a database that is not the registry's), not an empty trail
      try (PreparedStatement ps = connection.prepareStatement("SELECT 1 FROM ledger_chain_head WHERE tenant_id = ?")) {
        ps.setString(1, tenantId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new IOException("this database holds no audit trail of tenant " + tenantId);
          }
        }
      }
      writeLine(writer, new ExportHeader(tenantId, cli.clock().instant(), "database", LedgerKeySet.of(keys)).toJsonLine());
      long count = 0;
      try (PreparedStatement ps = connection.prepareStatement(LedgerRows.SELECT_TRAIL)) {
        ps.setFetchSize(FETCH_SIZE);
        ps.setString(1, tenantId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            writeLine(writer, LedgerJson.mapper().writeValueAsString(LedgerRows.exportObject(rs)));
            progress(++count);
          }
        }
      }
      connection.commit();
      return count;
    }
  }

  private long fromApi(Writer writer) throws IOException, InterruptedException {
    String scheme = api.getScheme();
    if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
      throw new ParameterException(spec.commandLine(), "--api must be an http(s) URL");
    }
    char[] key = secret(apiKey, apiKeyEnv, apiKeyFile, "--api-key");
    if (key == null) {
      throw new ParameterException(spec.commandLine(), "--api needs --api-key, --api-key-env or --api-key-file");
    }
    String base = api.toString().replaceAll("/+$", "");
    String authorization = "Bearer " + tenantId + ":" + new String(key);
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    // the entries first, into a spool file, and the keys after the last page: a node that started
    // with a new signing key during the export has published it by then (keys are only ever added
    // or retired), so the header holds every key the entries name
    Path spool = Files.createTempFile("ledger-export-", ".jsonl");
    spool.toFile().deleteOnExit(); // also when the process is stopped meanwhile
    try {
      long count;
      try (BufferedWriter entries = Files.newBufferedWriter(spool, StandardCharsets.UTF_8)) {
        count = pageEntries(client, base, authorization, entries);
      }
      JsonNode keys = get(client, URI.create(base + "/v1/ledger/keys"), authorization);
      LedgerKeySet keySet;
      try {
        keySet = LedgerKeySet.fromJson(keys);
      } catch (IllegalArgumentException e) {
        throw new IOException("GET /v1/ledger/keys: " + e.getMessage(), e);
      }
      writeLine(writer, new ExportHeader(tenantId, cli.clock().instant(), "api", keySet).toJsonLine());
      try (Reader entries = Files.newBufferedReader(spool, StandardCharsets.UTF_8)) {
        entries.transferTo(writer);
      }
      return count;
    } finally {
      Files.deleteIfExists(spool);
    }
  }

  private long pageEntries(HttpClient client, String base, String authorization, Writer writer)
      throws IOException, InterruptedException {
    long count = 0;
    String cursor = null;
    while (true) {
      String uri = base + "/v1/events?limit=" + pageSize
          + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
      JsonNode page = get(client, URI.create(uri), authorization);
      JsonNode events = page.get("events");
      if (events == null || !events.isArray()) {
        throw new IOException("GET /v1/events: the response has no \"events\" array");
      }
      for (JsonNode event : events) {
        writeLine(writer, LedgerJson.mapper().writeValueAsString(entryMembers(event)));
        progress(++count);
      }
      JsonNode pagination = page.path("pagination");
      if (!pagination.path("has_more").asBoolean(false)) {
        return count;
      }
      JsonNode next = pagination.get("next_cursor");
      if (next == null || !next.isTextual() || next.asText().isEmpty() || next.asText().equals(cursor)) {
        throw new IOException("GET /v1/events: has_more is true but next_cursor is missing or repeats");
      }
      cursor = next.asText();
    }
  }

  /**
   * The event's entry members (§1 of the format, {@code merkle_proof} included when present) in
   * the export order; members the API adds beyond them are dropped.
   */
  private static JsonNode entryMembers(JsonNode event) {
    if (!event.isObject()) {
      return event;
    }
    ObjectNode line = JsonNodeFactory.instance.objectNode();
    for (String name : LedgerJson.FIELDS) {
      if (event.has(name)) {
        line.set(name, event.get(name));
      }
    }
    return line;
  }

  private JsonNode get(HttpClient client, URI uri, String authorization)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", authorization)
            .header("Accept", "application/json")
            .GET()
            .build();
    for (int attempt = 1; ; attempt++) {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      int status = response.statusCode();
      if (status == 200) {
        try {
          return LedgerJson.mapper().readTree(response.body());
        } catch (IOException e) {
          throw new IOException("GET " + uri.getPath() + ": the response is not JSON", e);
        }
      }
      if ((status == 429 || status == 503) && attempt < MAX_ATTEMPTS) {
        long waitSeconds = response.headers().firstValue("Retry-After")
            .map(ExportCommand::seconds)
            .orElse(1L << (attempt - 1));
        if (!quiet) {
          spec.commandLine().getErr().printf("HTTP %d, retrying in %d s%n", status, waitSeconds);
          spec.commandLine().getErr().flush();
        }
        Thread.sleep(Math.min(waitSeconds, 60) * 1000);
        continue;
      }
      String body = response.body() == null ? "" : response.body();
      throw new IOException("GET " + uri.getPath() + " answered HTTP " + status + ": "
          + (body.length() > 300 ? body.substring(0, 300) + "…" : body));
    }
  }

  private static long seconds(String retryAfter) {
    try {
      return Math.max(0, Long.parseLong(retryAfter.trim()));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private char[] secret(char[] given, String env, Path file, String option) throws IOException {
    int sources = (given != null ? 1 : 0) + (env != null ? 1 : 0) + (file != null ? 1 : 0);
    if (sources > 1) {
      throw new ParameterException(spec.commandLine(), "give " + option + " one way only (value, -env or -file)");
    }
    if (given != null) {
      return given;
    }
    if (env != null) {
      String value = System.getenv(env);
      if (value == null) {
        throw new ParameterException(spec.commandLine(), "environment variable " + env + " is not set");
      }
      return value.toCharArray();
    }
    if (file != null) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return (lines.isEmpty() ? "" : lines.get(0).strip()).toCharArray();
    }
    return null;
  }

  private void progress(long count) {
    if (!quiet && count % 100_000 == 0) {
      spec.commandLine().getErr().printf("exported %,d entries%n", count);
      spec.commandLine().getErr().flush();
    }
  }

  private static void writeLine(Writer writer, String line) throws IOException {
    writer.write(line);
    writer.write('\n');
  }

  /** Standard output, which the export must not close. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}

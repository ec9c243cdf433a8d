package com.mandateregistry.ledger.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mandateregistry.ledger.LedgerCursor;
import com.mandateregistry.ledger.format.LedgerEntry;
import com.mandateregistry.ledger.format.LedgerJson;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * A stand-in for the registry's HTTP API on a local port, for the CLI's API export: each request
 * goes to one handler, on a thread of its own (a handler may stall), and its exchange is closed
 * afterwards. {@link #eventsPage} answers {@code GET /v1/events} from a trail as the service pages
 * it; {@link #run} runs the CLI with its output captured.
 */
final class StubLedgerApi implements AutoCloseable {

  /** Answers one request; it need not close the exchange. */
  @FunctionalInterface
  interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();

  private StubLedgerApi(Handler handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(threads);
    server.createContext("/", exchange -> {
      try {
        handler.handle(exchange);
      } finally {
        exchange.close();
      }
    });
    server.start();
  }

  static StubLedgerApi start(Handler handler) throws IOException {
    return new StubLedgerApi(handler);
  }

  /** The API's base URL, without a trailing slash. */
  String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  /**
   * The page of {@code trail} that {@code GET /v1/events} answers for the request's {@code limit}
   * and {@code cursor}, each entry as {@code asEvent} renders it, with the pagination member.
   */
  static ObjectNode eventsPage(
      List<LedgerEntry> trail, HttpExchange exchange, Function<LedgerEntry, ObjectNode> asEvent) {
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    int limit = Integer.parseInt(query.get("limit"));
    long after = query.containsKey("cursor") ? LedgerCursor.decode(query.get("cursor")) : 0;
    ArrayNode events = JsonNodeFactory.instance.arrayNode();
    trail.stream().filter(e -> e.sequence() > after).limit(limit).forEach(e -> events.add(asEvent.apply(e)));
    long last = after + events.size();
    boolean more = last < trail.size();
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.set("events", events);
    ObjectNode pagination = body.putObject("pagination");
    if (more) {
      pagination.put("next_cursor", LedgerCursor.encode(last));
    } else {
      pagination.putNull("next_cursor");
    }
    pagination.put("has_more", more);
    return body;
  }

  /** {@link #eventsPage} with each entry as the ledger renders it. */
  static ObjectNode eventsPage(List<LedgerEntry> trail, HttpExchange exchange) {
    return eventsPage(trail, exchange, LedgerJson::toObject);
  }

  /** Runs {@code cli} with {@code args}; what it prints goes to {@code out} and {@code err}, emptied first. */
  static int run(LedgerCli cli, StringWriter out, StringWriter err, String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    CommandLine commandLine = LedgerCli.commandLine(cli);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        String[] kv = pair.split("=", 2);
        query.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
      }
    }
    return query;
  }
}

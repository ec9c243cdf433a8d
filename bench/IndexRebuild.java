import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long the verification index takes to rebuild on start after many decisions (BENCHMARKS.md,
 * "the index's rebuild on start"). JDK only, run as a single-file program:
 *
 * <pre>
 *   mvn -q install -DskipTests
 *   java bench/IndexRebuild.java [decisions (200000)] [service jar (infra/target/infra-0.1.0-SNAPSHOT.jar)]
 * </pre>
 *
 * <p>Starts the service jar in embedded mode on a fresh data directory, creates one mandate with the
 * development tenant's key, sends that many {@code POST /v1/verify} (16 at a time), waits until the
 * tenant's ledger head shows them all (so every decision is on Kafka), stops the service (SIGTERM)
 * and starts it again, and prints how long it took until {@code /actuator/health} answered and
 * until {@code /v1/verify} answered 200 rather than 503 (the index had caught up).
 */
public final class IndexRebuild {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private static final int PORT = 18080;
  private static final String BASE = "http://127.0.0.1:" + PORT;
  private static volatile Process running;

  public static void main(String[] args) throws Exception {
    int decisions = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    Path jar = Path.of(args.length > 1 ? args[1] : "infra/target/infra-0.1.0-SNAPSHOT.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(jar + " is missing: run 'mvn -q install -DskipTests' first");
    }
    Path dir = Files.createTempDirectory("index-rebuild-");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      Process p = running;
      if (p != null) {
        p.destroy();
      }
    }));
    System.out.printf("service %s, data in %s, %,d decisions%n", jar, dir, decisions);

    Process first = start(jar, dir, "first.log");
    awaitHealth();
    String log = Files.readString(dir.resolve("first.log"));
    String auth = "Bearer " + banner(log, "tenant id") + ":" + banner(log, "api key");
    post("/v1/mandates", auth, """
        {"principal": {"type": "natural_person", "subject_id": "monco:user:max"},
         "delegate": {"type": "ai_agent", "subject_id": "monco:agent:rebuild"},
         "scope": {"actions": ["construction.validation.*"], "resources": ["monco:project:p/**"],
                   "effect": "ALLOW"}}""");
    String verify = """
        {"delegate_subject_id": "monco:agent:rebuild", "action": "construction.validation.approve",
         "resource": "monco:project:p/x"}""";
    while (post("/v1/verify", auth, verify).statusCode() != 200) {
      Thread.sleep(100);
    }

    long sent = System.nanoTime();
    AtomicInteger next = new AtomicInteger();
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < 16; w++) {
      Thread t = new Thread(() -> {
        while (next.getAndIncrement() < decisions) {
          int status = post("/v1/verify", auth, verify).statusCode();
          if (status != 200) {
            throw new IllegalStateException("verify answered " + status);
          }
        }
      });
      t.start();
      workers.add(t);
    }
    for (Thread t : workers) {
      t.join();
    }
    System.out.printf("%,d decisions in %.1f s%n", decisions, (System.nanoTime() - sent) / 1e9);
    Pattern sequence = Pattern.compile("\"sequence\":(\\d+)");
    while (true) {
      Matcher m = sequence.matcher(get("/v1/ledger/head", auth).body());
      if (m.find() && Long.parseLong(m.group(1)) >= decisions) {
        break;
      }
      Thread.sleep(500);
    }
    System.out.printf("all in the audit ledger after %.1f s; restarting%n", (System.nanoTime() - sent) / 1e9);
    first.destroy();
    first.waitFor();

    long restart = System.nanoTime();
    Process second = start(jar, dir, "second.log");
    awaitHealth();
    double up = (System.nanoTime() - restart) / 1e9;
    while (post("/v1/verify", auth, verify).statusCode() != 200) {
      Thread.sleep(20);
    }
    double ready = (System.nanoTime() - restart) / 1e9;
    System.out.printf(
        "restart: health UP after %.2f s, /v1/verify answering after %.2f s (the index rebuilt %.2f s after UP)%n",
        up, ready, ready - up);
    second.destroy();
    second.waitFor();
  }

  private static Process start(Path jar, Path dir, String log) throws IOException {
    return running = new ProcessBuilder(
            "java", "-Xms2g", "-Xmx2g", "-jar", jar.toString(),
            "--mandate-registry.data-dir=" + dir.resolve("data"),
            "--server.port=" + PORT,
            "--mandate-registry.embedded.postgres-port=0",
            "--mandate-registry.embedded.kafka-port=0")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(log).toFile())
        .start();
  }

  private static String banner(String log, String label) {
    Matcher m = Pattern.compile(label + ":\\s+(\\S+)").matcher(log);
    if (!m.find()) {
      throw new IllegalStateException("no '" + label + "' in the start banner: is the data directory new?");
    }
    return m.group(1);
  }

  private static void awaitHealth() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (get("/actuator/health", null).statusCode() == 200) {
          return;
        }
      } catch (RuntimeException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the service did not start within 3 minutes");
  }

  private static HttpResponse<String> get(String path, String auth) {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(BASE + path)).GET();
    if (auth != null) {
      r.header("Authorization", auth);
    }
    return send(r.build());
  }

  private static HttpResponse<String> post(String path, String auth, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(BASE + path))
            .header("Authorization", auth)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new RuntimeException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeException(e);
    }
  }
}

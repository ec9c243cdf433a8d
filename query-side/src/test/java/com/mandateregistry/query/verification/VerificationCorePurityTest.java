package com.mandateregistry.query.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The decision core ({@code com.mandateregistry.query.verification}, not its subpackages) stays
 * free of Spring and of clocks: the time is a parameter. Checked on the sources, since the
 * query-side module has no ArchUnit; the check first makes sure it found the engine.
 */
class VerificationCorePurityTest {

  private static final Path CORE =
      Path.of("src", "main", "java", "com", "mandateregistry", "query", "verification");

  private static List<Path> sources;

  @BeforeAll
  static void readSources() throws IOException {
    try (Stream<Path> files = Files.list(CORE)) {
      sources = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    }
  }

  @Test
  void theCheckFindsTheEngine() {
    assertThat(sources).extracting(p -> p.getFileName().toString()).contains("DecisionEngine.java");
  }

  @Test
  void coreSources_importNoSpring() throws IOException {
    for (Path source : sources) {
      assertThat(Files.readString(source)).as(source.toString()).doesNotContain("org.springframework");
    }
  }

  @Test
  void coreSources_readNoClock() throws IOException {
    for (Path source : sources) {
      assertThat(Files.readString(source))
          .as(source.toString())
          .doesNotContain("Instant.now(")
          .doesNotContain("java.time.Clock")
          .doesNotContain("System.currentTimeMillis(");
    }
  }
}

package com.mandateregistry.infra.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What {@link JsonBodyChecks} refuses in a JSON text, and what it must leave to Jackson or keep. */
class JsonBodyChecksTest {

  private static String problem(String json) {
    return JsonBodyChecks.problem(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void refusesU0000_inValuesAndKeys_wherever_itIsEscaped() {
    assertThat(problem("{\"a\": \"x\\u0000y\"}")).contains("U+0000");
    assertThat(problem("{\"a\\u0000\": 1}")).contains("U+0000");
    assertThat(problem("[\"\\u0000\"]")).contains("U+0000");
    assertThat(problem("{\"a\": \"\\\\\\u0000\"}")).as("an escaped backslash, then the escape").contains("U+0000");
  }

  @Test
  void keepsAnEscapedBackslashFollowedByTheText_u0000() {
    assertThat(problem("{\"a\": \"\\\\u0000\"}")).isNull();
    assertThat(problem("{\"a\": \"\\\\\\\\u0000\"}")).isNull();
  }

  @Test
  void refusesUnpairedSurrogates_keepsPairs() {
    assertThat(problem("\"\\ud800\"")).contains("surrogate");
    assertThat(problem("\"\\ud800x\"")).contains("surrogate");
    assertThat(problem("\"\\ud800\\u0041\"")).contains("surrogate");
    assertThat(problem("\"\\udc00\"")).contains("surrogate");
    assertThat(problem("\"\\ude00\\ud83d\"")).as("a pair in the wrong order").contains("surrogate");
    assertThat(problem("\"\\ud83d\\ude00\"")).isNull();
    assertThat(problem("\"\\uD83D\\uDE00 and \\u00e9\"")).isNull();
    byte[] rawSurrogate = {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'};
    assertThat(JsonBodyChecks.problem(rawSurrogate)).contains("surrogate");
    assertThat(problem("\"\ud55c\uae00 \u00e9 \ud83d\ude00\"")).as("real characters as UTF-8").isNull();
  }

  @Test
  void refusesNumbersBeyondADouble_keepsTheRest() {
    assertThat(problem("{\"a\": 1e999999}")).contains("range");
    assertThat(problem("[-1E400]")).contains("range");
    assertThat(problem("{\"a\": 1e308, \"b\": -2.5E-300, \"c\": 1e-999999, \"d\": 123456789012345678901234567890}")).isNull();
    assertThat(problem("{\"a\": \"1e999999\"}")).as("a string, not a number").isNull();
  }

  @Test
  void leavesMalformedJsonToJackson() {
    assertThat(problem("{\"a\": \"\\u00\"}")).isNull();
    assertThat(problem("{\"a\": 1e}")).isNull();
    assertThat(problem("{\"a\": \"unterminated \\")).isNull();
    assertThat(problem("")).isNull();
  }

  private static byte[] read(String body, long declaredLength) throws IOException {
    return JsonBodyChecks.readBody(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), declaredLength);
  }

  @Test
  void readsTheWholeBody_whateverLengthIsDeclared() throws IOException {
    String body = "{\"delegate_subject_id\": \"agent:é\", \"action\": \"a.b\"}";
    int length = body.getBytes(StandardCharsets.UTF_8).length;
    assertThat(read(body, length)).asString(StandardCharsets.UTF_8).isEqualTo(body);
    assertThat(read(body, -1)).as("no Content-Length (chunked)").asString(StandardCharsets.UTF_8).isEqualTo(body);
    assertThat(read(body, length - 5)).as("more than declared").asString(StandardCharsets.UTF_8).isEqualTo(body);
    assertThat(read(body, length + 5)).as("less than declared").asString(StandardCharsets.UTF_8).isEqualTo(body);
    assertThat(read(body, 0)).asString(StandardCharsets.UTF_8).isEqualTo(body);
    assertThat(read(body, Long.MAX_VALUE)).as("not trusted to size an array").asString(StandardCharsets.UTF_8).isEqualTo(body);
    assertThat(read("", 0)).isEmpty();
    String large = "[" + "1,".repeat(20_000) + "1]";
    assertThat(read(large, large.length())).asString(StandardCharsets.UTF_8).isEqualTo(large);
  }
}

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

  private static byte[] quoted(int... bytes) {
    byte[] json = new byte[bytes.length + 2];
    json[0] = '"';
    for (int i = 0; i < bytes.length; i++) {
      json[i + 1] = (byte) bytes[i];
    }
    json[json.length - 1] = '"';
    return json;
  }

  @Test
  void refusesIllFormedUtf8_whichJacksonWouldDecode() {
    // Jackson reads C0 80 as U+0000 and C0 AF as '/': a body that passed as text PostgreSQL
    // then refuses would stop the read model for every tenant
    assertThat(JsonBodyChecks.problem(quoted('a', 0xC0, 0x80, 'b'))).contains("not well-formed UTF-8");
    assertThat(JsonBodyChecks.problem(quoted(0xC0, 0xAF))).contains("not well-formed UTF-8");
    assertThat(JsonBodyChecks.problem(quoted(0xC1, 0xBF))).contains("not well-formed UTF-8");
    assertThat(JsonBodyChecks.problem(quoted(0xE0, 0x80, 0xAF))).as("overlong, 3 bytes").contains("not well-formed UTF-8");
    assertThat(JsonBodyChecks.problem(quoted(0xF0, 0x80, 0x80, 0xAF))).as("overlong, 4 bytes").contains("not well-formed UTF-8");
    assertThat(JsonBodyChecks.problem(quoted(0xF4, 0x90, 0x80, 0x80))).as("beyond U+10FFFF").contains("not well-formed UTF-8");
    assertThat(JsonBodyChecks.problem(quoted(0xF5, 0x80, 0x80, 0x80))).contains("not well-formed UTF-8");
    assertThat(JsonBodyChecks.problem(quoted(0xFF))).contains("not well-formed UTF-8");
    assertThat(JsonBodyChecks.problem(quoted(0x80))).as("a lone continuation byte").contains("not well-formed UTF-8");
    assertThat(JsonBodyChecks.problem(quoted(0xC3))).as("cut before the closing quote").contains("not well-formed UTF-8");
    assertThat(JsonBodyChecks.problem(new byte[] {'"', (byte) 0xE2, (byte) 0x82})).as("cut at the end").contains("not well-formed UTF-8");
    assertThat(JsonBodyChecks.problem(new byte[] {'{', (byte) 0xC0, (byte) 0x80, '}'})).as("outside a string").isNotNull();
    assertThat(JsonBodyChecks.problem(quoted(0xED, 0x9F, 0xBF))).as("U+D7FF").isNull();
    assertThat(JsonBodyChecks.problem(quoted(0xEE, 0x80, 0x80))).as("U+E000").isNull();
    assertThat(JsonBodyChecks.problem(quoted(0xF4, 0x8F, 0xBF, 0xBF))).as("U+10FFFF").isNull();
    assertThat(JsonBodyChecks.problem(quoted(0xC2, 0x80))).as("U+0080").isNull();
    assertThat(JsonBodyChecks.problem(quoted(0xE0, 0xA0, 0x80))).as("U+0800").isNull();
    assertThat(JsonBodyChecks.problem(quoted(0xF0, 0x90, 0x80, 0x80))).as("U+10000").isNull();
  }

  @Test
  void everyCodePoint_asUtf8_isWellFormed() {
    StringBuilder all = new StringBuilder("\"");
    for (int cp = 0x20; cp <= 0x10FFFF; cp++) {
      if (cp == '"' || cp == '\\' || (cp >= 0xD800 && cp <= 0xDFFF)) {
        continue;
      }
      all.appendCodePoint(cp);
    }
    all.append('"');
    assertThat(problem(all.toString())).isNull();
  }

  @Test
  void refusesNumbersBeyondADouble_keepsTheRest() {
    assertThat(problem("{\"a\": 1e999999}")).contains("range");
    assertThat(problem("[-1E400]")).contains("range");
    assertThat(problem("{\"a\": 1e308, \"b\": -2.5E-300, \"d\": 123456789012345678901234567890}")).isNull();
    assertThat(problem("{\"c\": 1e-999999}")).as("0 as a double, a million digits written out").contains("digits");
    assertThat(problem("{\"a\": \"1e999999\"}")).as("a string, not a number").isNull();
  }

  @Test
  void refusesNumbersThatWouldBeTooLongWrittenOut_keepsTheRest() {
    assertThat(problem("{\"a\": 1E-1000}")).contains("digits when written out");
    assertThat(problem("{\"a\": 1e-600}")).as("underflows a double to 0, yet nonzero").contains("digits");
    assertThat(problem("[12345e300]")).as("in a double's range, 306 digits").isNull();
    assertThat(problem("{\"a\": 1e-498, \"b\": 0.5e2, \"c\": 1E+300, \"d\": 0}")).isNull();
    assertThat(JsonBodyChecks.plainDigits(new java.math.BigDecimal("1E-7"))).isEqualTo(8);
    assertThat(JsonBodyChecks.plainDigits(new java.math.BigDecimal("1.5E3"))).isEqualTo(4);
    assertThat(JsonBodyChecks.plainDigits(new java.math.BigDecimal("123.45"))).isEqualTo(6);
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

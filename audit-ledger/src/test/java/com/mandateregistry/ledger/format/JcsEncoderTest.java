package com.mandateregistry.ledger.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mandateregistry.ledger.PendingEntry;
import com.mandateregistry.ledger.testsupport.Trails;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link JcsEncoder} against the reference path it replaces (Jackson writes the tree as text, {@code
 * java-json-canonicalization} parses and canonicalises that text): byte for byte on hand-picked and
 * generated inputs, and the same refusals.
 */
class JcsEncoderTest {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** What the verifier did before: Jackson text, parsed and canonicalised by the library. */
  private static byte[] reference(JsonNode node) throws IOException {
    if (!node.isContainerNode()) { // the library takes only an object or an array: [value], unwrapped
      byte[] wrapped = reference(F.arrayNode().add(node));
      return java.util.Arrays.copyOfRange(wrapped, 1, wrapped.length - 1);
    }
    return new JsonCanonicalizer(LedgerEntryCodec.MAPPER.writeValueAsString(node)).getEncodedUTF8();
  }

  private static byte[] encoded(JsonNode node) throws IOException {
    return new JcsEncoder().write(node).toByteArray();
  }

  private static String canonical(String json) throws IOException {
    return new String(encoded(LedgerEntryCodec.MAPPER.readTree(json)), StandardCharsets.UTF_8);
  }

  private static void assertSameAsReference(String json) throws IOException {
    JsonNode node = LedgerEntryCodec.MAPPER.readTree(json);
    assertThat(encoded(node)).as(json).isEqualTo(reference(node));
    if (node.isContainerNode()) {
      assertThat(encoded(node)).as(json).isEqualTo(new JsonCanonicalizer(json).getEncodedUTF8());
    }
  }

  @Test
  void knownAnswers() throws IOException {
    assertThat(canonical("{ \"b\" : [ 1 , 2.50, true, false, null ], \"a\" : { \"y\": \"x\", \"x\": {} } }"))
        .isEqualTo("{\"a\":{\"x\":{},\"y\":\"x\"},\"b\":[1,2.5,true,false,null]}");
    assertThat(canonical("[1e21, 1E+21, 1e-7, -0, -0.0, 0.1, 5.0E3, 1.50, 9007199254740993, 1e20, 123456789012345678901234567890]"))
        .isEqualTo("[1e+21,1e+21,1e-7,0,0,0.1,5000,1.5,9007199254740992,100000000000000000000,1.2345678901234568e+29]");
    assertThat(canonical("[4.9e-324, 1.7976931348623157e308, -1e-400, 0.000001, 1e-6, 0.0000001]"))
        .isEqualTo("[5e-324,1.7976931348623157e+308,0,0.000001,0.000001,1e-7]");
    // every escape, and what is not escaped: '/', U+007F, U+2028, non-ASCII, non-BMP
    assertThat(canonical("\"\\\" \\\\ \\b \\f \\n \\r \\t \\u0000 \\u001f \\/ \\u007f \\u2028 \\u00fc \\ud83d\\ude00\""))
        .isEqualTo("\"\\\" \\\\ \\b \\f \\n \\r \\t \\u0000 \\u001f / \u007f \u2028 \u00fc \ud83d\ude00\"");
    // UTF-16 order: U+1F600 (as D83D DE00) sorts before U+E000, unlike in code point order
    assertThat(canonical("{\"\\ue000\":1,\"\\ud83d\\ude00\":2,\"a\":3,\"A\":4,\"\":5}"))
        .isEqualTo("{\"\":5,\"A\":4,\"a\":3,\"\ud83d\ude00\":2,\"\ue000\":1}");
    // an unpaired surrogate is written as '?', as String.getBytes(UTF_8) does on the reference path
    assertThat(encoded(F.textNode("a\ud800b\udc00c\ud800"))).isEqualTo("\"a?b?c?\"".getBytes(StandardCharsets.UTF_8));
    assertThat(encoded(F.textNode("\ud83d"))).isEqualTo(reference(F.textNode("\ud83d")));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "{}", "[]", "[[[]]]", "{\"a\":{\"b\":{\"c\":[{},{\"d\":null}]}}}", "\"\"", "0", "-1", "true",
    "{\"aa\":1,\"a\":2,\"ab\":3,\"b\":4,\"a\\u0000\":5}",
    "[0.1, 0.2, 0.30000000000000004, 1e-7, 1e21, 1e22, 123e-20, -5e-324, 2.2250738585072014E-308]",
    "[9007199254740992, 9007199254740993, -9007199254740993, 9223372036854775807, -9223372036854775808]",
    "[18446744073709551616, 1e308, 179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791]",
    "{\"\\u00e9\":\"\\u00e9\",\"e\\u0301\":\"Zone EG \\u2013 Gr\\u00f6\\u00dfe 42\"}",
  })
  void sameAsReference(String json) throws IOException {
    assertSameAsReference(json);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1e400", "-1e400", "[1E309]", "{\"a\":{\"b\":[1e99999]}}",
      "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792"})
  void refusesWhatTheReferenceRefuses(String json) throws IOException {
    JsonNode node = LedgerEntryCodec.MAPPER.readTree(json);
    assertThatThrownBy(() -> reference(node)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> encoded(node)).isInstanceOf(IOException.class)
        .hasMessage("NaN/Infinity are not permitted in JSON");
  }

  @Test
  void refusesNonFiniteDoubles() {
    assertThatThrownBy(() -> encoded(F.numberNode(Double.NaN))).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> encoded(F.numberNode(Double.POSITIVE_INFINITY))).isInstanceOf(IOException.class);
  }

  @Test
  void generatedTreesMatchTheReference() throws IOException {
    Random random = new Random(20261122);
    for (int i = 0; i < 3000; i++) {
      JsonNode tree = randomObject(random, 0);
      assertSameOutcome(tree);
      // and as the verifier sees it: parsed back from text
      String text = LedgerEntryCodec.MAPPER.writeValueAsString(tree);
      assertSameOutcome(LedgerEntryCodec.MAPPER.readTree(text));
    }
  }

  @Test
  void generatedNumbersMatchTheReference() throws IOException {
    Random random = new Random(7);
    int refused = 0;
    for (int i = 0; i < 20_000; i++) {
      JsonNode number = randomNumber(random);
      refused += assertSameOutcome(number);
      assertSameOutcome(LedgerEntryCodec.MAPPER.readTree(LedgerEntryCodec.MAPPER.writeValueAsString(number)));
    }
    assertThat(refused).as("some numbers out of range").isBetween(1, 5_000);
  }

  /** Same bytes as the reference, or refused by both; 1 if refused. */
  private static int assertSameOutcome(JsonNode node) throws IOException {
    byte[] expected;
    try {
      expected = reference(node);
    } catch (IOException e) {
      assertThatThrownBy(() -> encoded(node)).as("%s", node).isInstanceOf(IOException.class);
      return 1;
    }
    assertThat(encoded(node)).as("%s", node).isEqualTo(expected);
    return 0;
  }

  @Test
  void hashedFieldsAreListedInJcsOrder() {
    List<String> sorted = new ArrayList<>(LedgerEntryCodec.HASHED_FIELDS);
    sorted.sort(String::compareTo);
    assertThat(LedgerEntryCodec.HASHED_FIELDS).containsExactlyElementsOf(sorted);
  }

  @Test
  void entryEncodingMatchesTheReference() throws Exception {
    byte[] prefix = LedgerFormat.entryPrefix();
    JcsEncoder reused = new JcsEncoder();
    for (int i = 0; i < 200; i++) {
      PendingEntry p = Trails.event("tnt_X", i);
      UnsignedEntry entry = new UnsignedEntry(i + 1, p.eventId(), p.tenantId(), p.mandateId(), p.eventType(),
          p.timestamp(), p.actor(), p.details(), LedgerFormat.GENESIS_HASH, "kid", "SHA-256", "ES256");
      ObjectNode hashed = LedgerEntryCodec.hashedFields(entry);
      byte[] jcs = reference(hashed);
      byte[] expected = new byte[prefix.length + jcs.length];
      System.arraycopy(prefix, 0, expected, 0, prefix.length);
      System.arraycopy(jcs, 0, expected, prefix.length, jcs.length);
      assertThat(LedgerEntryCodec.encode(entry)).isEqualTo(expected);

      ObjectNode exported = hashed.deepCopy();
      exported.put("event_hash", "0".repeat(64)).put("kms_signature", "sig");
      JsonNode line = LedgerEntryCodec.MAPPER.readTree(LedgerEntryCodec.MAPPER.writeValueAsString(exported));
      LedgerEntryCodec.checkMembers(line);
      LedgerEntryCodec.encodeEntry(line, reused);
      assertThat(reused.toByteArray()).isEqualTo(expected);
    }
  }

  @Test
  void entryWithAnUncanonicalisableNumberIsMalformed() throws Exception {
    PendingEntry p = Trails.event("tnt_X", 1);
    UnsignedEntry entry = new UnsignedEntry(1, p.eventId(), p.tenantId(), p.mandateId(), p.eventType(),
        Instant.parse("2025-01-01T00:00:00Z"), p.actor(), "{\"x\":1e400}", LedgerFormat.GENESIS_HASH, "kid",
        "SHA-256", "ES256");
    ObjectNode line = LedgerEntryCodec.hashedFields(entry);
    assertThatThrownBy(() -> LedgerEntryCodec.encodeEntry(line, new JcsEncoder()))
        .isInstanceOf(MalformedEntryException.class)
        .hasMessage("cannot canonicalise entry: NaN/Infinity are not permitted in JSON");
    assertThatThrownBy(() -> LedgerEntryCodec.encodeHashedFields(line))
        .isInstanceOf(MalformedEntryException.class)
        .hasMessage("cannot canonicalise entry: NaN/Infinity are not permitted in JSON");
  }

  // --- generators ---

  private static final char[] INTERESTING = {
    0, 1, 8, 9, 10, 11, 12, 13, 0x1f, ' ', '"', '\\', '/', 'a', 'Z', '~', 0x7f, 0x80, 0xe9, 0xff, 0x100,
    0x7ff, 0x800, 0x2028, 0x2029, 0xd7ff, 0xe000, 0xfeff, 0xfffd, 0xffff,
  };

  private static String randomString(Random random) {
    int length = random.nextInt(8);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(6)) {
        case 0 -> sb.append(INTERESTING[random.nextInt(INTERESTING.length)]);
        case 1 -> sb.appendCodePoint(0x10000 + random.nextInt(0x100000)); // surrogate pair
        case 2 -> sb.append((char) (0xd800 + random.nextInt(0x800))); // usually unpaired
        case 3 -> sb.append((char) random.nextInt(0x10000));
        default -> sb.append((char) ('a' + random.nextInt(4)));
      }
    }
    return sb.toString();
  }

  private static JsonNode randomNumber(Random random) {
    return switch (random.nextInt(9)) {
      case 0 -> F.numberNode(random.nextInt(2001) - 1000);
      case 1 -> F.numberNode(random.nextLong());
      case 2 -> F.numberNode((1L << 53) + random.nextInt(1000) - 500);
      case 3 -> F.numberNode(new BigInteger(random.nextInt(400) + 1, random).negate());
      case 4 -> {
        double d;
        do {
          d = Double.longBitsToDouble(random.nextLong());
        } while (!Double.isFinite(d));
        yield F.numberNode(new BigDecimal(Double.toString(d)));
      }
      case 5 -> F.numberNode(new BigDecimal(new BigInteger(random.nextInt(80) + 1, random), random.nextInt(700) - 340));
      case 6 -> F.numberNode(new BigDecimal(random.nextInt(100_000)).movePointLeft(random.nextInt(12)));
      case 7 -> F.numberNode(BigDecimal.valueOf(random.nextLong(), random.nextInt(40) - 20));
      default -> F.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(60) - 30));
    };
  }

  private static JsonNode randomValue(Random random, int depth) {
    int kind = random.nextInt(depth < 3 ? 7 : 5);
    return switch (kind) {
      case 0 -> F.textNode(randomString(random));
      case 1 -> randomNumber(random);
      case 2 -> F.booleanNode(random.nextBoolean());
      case 3 -> F.nullNode();
      case 4 -> F.textNode(randomString(random));
      case 5 -> randomObject(random, depth + 1);
      default -> {
        ArrayNode array = F.arrayNode();
        for (int i = random.nextInt(4); i > 0; i--) {
          array.add(randomValue(random, depth + 1));
        }
        yield array;
      }
    };
  }

  private static ObjectNode randomObject(Random random, int depth) {
    ObjectNode object = F.objectNode();
    for (int i = random.nextInt(7); i > 0; i--) {
      object.set(randomString(random), randomValue(random, depth));
    }
    return object;
  }
}

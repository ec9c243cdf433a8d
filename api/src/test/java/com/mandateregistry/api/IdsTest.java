package com.mandateregistry.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.f4b6a3.ulid.Ulid;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Public ids: the deterministic event id and the {@code isValid} check. */
class IdsTest {

  private static final String MESSAGE_ID = "9f1c6c2e-3b1a-4d2e-8f00-0123456789ab";
  private static final Instant AT = Instant.parse("2025-03-01T09:30:00.120Z");

  @Test
  void eventId_ofTheSameMessage_isTheSameEveryTime() {
    assertThat(Ids.eventId(MESSAGE_ID, AT)).isEqualTo(Ids.eventId(new String(MESSAGE_ID), AT));
  }

  @Test
  void eventId_ofAnotherMessageIdentifier_differs() {
    String other = "9f1c6c2e-3b1a-4d2e-8f00-0123456789ac";
    assertThat(Ids.eventId(other, AT)).isNotEqualTo(Ids.eventId(MESSAGE_ID, AT));
    // the time part is equal, so the difference is in the random part
    assertThat(Ulid.from(Ids.eventId(other, AT).substring(4)).getRandom())
        .isNotEqualTo(Ulid.from(Ids.eventId(MESSAGE_ID, AT).substring(4)).getRandom());
  }

  @Test
  void eventId_isAValidEventId() {
    String id = Ids.eventId(MESSAGE_ID, AT);
    assertThat(id).startsWith(Ids.EVENT);
    assertThat(Ids.isValid(Ids.EVENT, id)).isTrue();
    assertThat(Ids.isValid(Ids.MANDATE, id)).isFalse();
  }

  @Test
  void eventId_timePart_isTheTimestampInEpochMillis() {
    Instant at = Instant.parse("2031-07-14T23:59:58.987654321Z");
    Ulid ulid = Ulid.from(Ids.eventId(MESSAGE_ID, at).substring(Ids.EVENT.length()));
    // date -u -d '2031-07-14T23:59:58.987Z' +%s%3N  → 1941839998987 (sub-millisecond digits dropped)
    assertThat(ulid.getTime()).isEqualTo(at.toEpochMilli()).isEqualTo(1941839998987L);
  }

  @Test
  void eventId_randomPart_isTheFirstTenBytesOfSha256OfTheIdentifier() throws Exception {
    String identifier = "ünïcode-identifier/€";
    byte[] digest =
        MessageDigest.getInstance("SHA-256").digest(identifier.getBytes(StandardCharsets.UTF_8));
    Ulid ulid = Ulid.from(Ids.eventId(identifier, AT).substring(Ids.EVENT.length()));
    assertThat(ulid.getRandom()).isEqualTo(Arrays.copyOf(digest, 10));
  }

  @Test
  void eventId_ordersByTimestamp() {
    String earlier = Ids.eventId("zzzz", AT);
    String later = Ids.eventId("aaaa", AT.plusMillis(1));
    assertThat(earlier).isLessThan(later);
  }

  @Test
  void eventId_knownAnswer() {
    // time part, 48 bits:   printf '%012x' 1740821400120                                → 0195510a8a38
    // random part, 80 bits: printf '9f1c6c2e-3b1a-4d2e-8f00-0123456789ab' | sha256sum | cut -c1-20
    //                                                                                 → e626673d78b6a2fde21b
    // The id is "evt_" + the Crockford base32 of those 128 bits (time first).
    String id = Ids.eventId(MESSAGE_ID, AT);
    assertThat(HexFormat.of().formatHex(Ulid.from(id.substring(4)).toBytes()))
        .isEqualTo("0195510a8a38" + "e626673d78b6a2fde21b");
    assertThat(id).isEqualTo("evt_01JN8GN2HRWRK6EFBRPTHFVRGV");
  }

  @Test
  void next_isValidWithItsPrefix() {
    assertThat(Ids.isValid(Ids.MANDATE, Ids.next(Ids.MANDATE))).isTrue();
    assertThat(Ids.isValid(Ids.TENANT, Ids.next(Ids.MANDATE))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "mdt_01JN8GN2HRWRK6EFBRPTHFVRGV", // wrong prefix
        "EVT_01JN8GN2HRWRK6EFBRPTHFVRGV", // prefix is case-sensitive
        "01JN8GN2HRWRK6EFBRPTHFVRGV", // no prefix
        "evt_01JN8GN2HRWRK6EFBRPTHFVRG", // 25 characters
        "evt_01JN8GN2HRWRK6EFBRPTHFVRGVX", // 27 characters
        "evt_", // prefix only
        "", // empty
        "evt_01JN8GN2HRWRK6EFBRPTHFVRGI", // I is not Crockford base32
        "evt_01JN8GN2HRWRK6EFBRPTHFVRGL", // nor L
        "evt_01JN8GN2HRWRK6EFBRPTHFVRGO", // nor O
        "evt_01JN8GN2HRWRK6EFBRPTHFVRGU", // nor U
        "evt_01jn8gn2hrwrk6efbrpthfvrgv", // lower case
        "evt_01JN8GN2HRWRK6EFBRPTHFVRG-" // punctuation
      })
  void isValid_rejectsMalformedEventIds(String id) {
    assertThat(Ids.isValid(Ids.EVENT, id)).isFalse();
  }

  @Test
  void isValid_rejectsNull() {
    assertThat(Ids.isValid(Ids.EVENT, null)).isFalse();
  }

  @Test
  void isValid_acceptsAWellFormedId() {
    assertThat(Ids.isValid(Ids.EVENT, "evt_01JN8GN2HRWRK6EFBRPTHFVRGV")).isTrue();
  }
}

package com.mandateregistry.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsistencyTokensTest {

  private final CursorCodec cursors = new CursorCodec("0123456789abcdef-secret".getBytes(StandardCharsets.UTF_8));
  private final ConsistencyTokens tokens = new ConsistencyTokens(cursors);

  @Test
  void aTokenReadsBackAsTheMandateAndVersionOfItsWrite_forItsTenantOnly() {
    String token = tokens.issue("tnt_A", "mdt_01J", 7);

    assertThat(tokens.read("tnt_A", token)).isEqualTo(new ConsistencyTokens.Token("mdt_01J", 7));
    assertRefused("tnt_B", token);
  }

  @Test
  void alteredTokens_cursors_andOtherKeysTokens_areRefused() {
    String token = tokens.issue("tnt_A", "mdt_01J", 7);
    int middle = token.length() / 2; // (the last character may carry bits the decoder drops)
    char c = token.charAt(middle);
    assertRefused("tnt_A", token.substring(0, middle) + (c == 'A' ? 'B' : 'A') + token.substring(middle + 1));
    assertRefused("tnt_A", "");
    assertRefused("tnt_A", "not base64url!");
    // a cursor of the same secret is not a token, even with the tenant in its scope
    assertRefused("tnt_A", cursors.encode("mandates:tnt_A:", "mdt_01J:7"));
    // nor is a token made with another secret
    ConsistencyTokens elsewhere =
        new ConsistencyTokens(new CursorCodec("another-secret-of-16+".getBytes(StandardCharsets.UTF_8)));
    assertRefused("tnt_A", elsewhere.issue("tnt_A", "mdt_01J", 7));
  }

  @Test
  void aPositionWithoutAVersion_isRefused() {
    // signed with the shared secret but not written by issue(): still not a token
    assertRefused("tnt_A", cursors.encode("consistency-token:tnt_A", "mdt_01J"));
    assertRefused("tnt_A", cursors.encode("consistency-token:tnt_A", "mdt_01J:seven"));
  }

  private void assertRefused(String tenantId, String token) {
    assertThatThrownBy(() -> tokens.read(tenantId, token))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.getMessage()).contains(ConsistencyTokens.HEADER);
              assertThat(e.details()).singleElement()
                  .satisfies(d -> assertThat(d.location()).isEqualTo("header"));
            });
  }
}

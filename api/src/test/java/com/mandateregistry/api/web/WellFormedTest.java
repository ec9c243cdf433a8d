package com.mandateregistry.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WellFormedTest {

  @Test
  void unpairedSurrogates_becomeReplacementCharacters_pairsStay() {
    assertThat(WellFormed.text("a\uD83D\uDE00b")).isEqualTo("a\uD83D\uDE00b");
    assertThat(WellFormed.text("a\uD83Db")).isEqualTo("a\uFFFDb");
    assertThat(WellFormed.text("\uDE00a\uD83D")).isEqualTo("\uFFFDa\uFFFD");
    assertThat(WellFormed.text("plain")).isSameAs("plain");
    assertThat(WellFormed.text(null)).isNull();
  }

  @Test
  void theErrorShape_isWellFormedWhateverItQuotes() {
    ErrorResponse response = new ErrorResponse("VALIDATION_ERROR", "action 'a.\uD83D…' is bad",
        List.of(new ErrorDetail("x\uDE00", "invalid '\uD83D'", "action", "body")));
    assertThat(response.message()).isEqualTo("action 'a.\uFFFD…' is bad");
    assertThat(response.details().get(0).value()).isEqualTo("x\uFFFD");
    assertThat(response.details().get(0).msg()).isEqualTo("invalid '\uFFFD'");
    assertThat(new ErrorDetail(5, null, "limit", "query").value()).isEqualTo(5);
  }

  @Test
  void anExcerpt_keepsWholeCodePoints() {
    assertThat(ErrorDetail.excerpt("x".repeat(64))).isEqualTo("x".repeat(64));
    assertThat(ErrorDetail.excerpt("x".repeat(65))).isEqualTo("x".repeat(32) + "…");
    String emoji = "\uD83D\uDE00";
    assertThat(ErrorDetail.excerpt(emoji.repeat(65))).isEqualTo(emoji.repeat(32) + "…");
  }
}

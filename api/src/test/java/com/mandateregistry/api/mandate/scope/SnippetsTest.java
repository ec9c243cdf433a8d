package com.mandateregistry.api.mandate.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Messages about user input stay well-formed Unicode whatever the input: a JSON answer carrying
 * them must never hold half a surrogate pair (which the API itself refuses on input).
 */
class SnippetsTest {

  private static final String EMOJI = "😀"; // two UTF-16 units

  /** Every surrogate of {@code text} is half of a pair. */
  private static boolean wellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  @Test
  void aLongValue_isCutBetweenCodePoints() {
    String quoted = Snippets.quote("a" + EMOJI.repeat(300));
    assertThat(wellFormed(quoted)).as(quoted).isTrue();
    assertThat(quoted).startsWith("'a" + EMOJI).endsWith(EMOJI + "…'");
    assertThat(quoted.codePointCount(0, quoted.length())).isEqualTo(80 + 3);
  }

  @Test
  void anUnpairedSurrogate_isEscaped() {
    assertThat(Snippets.quote("x\uD83Dy")).isEqualTo("'x\\uD83Dy'");
    assertThat(Snippets.quote("x\uDE00")).isEqualTo("'x\\uDE00'");
    assertThat(Snippets.quote("ok" + EMOJI)).isEqualTo("'ok" + EMOJI + "'");
  }

  @Test
  void theInvalidCharacterOfAnAction_isNamedWhole() {
    assertThatThrownBy(() -> ActionPattern.validateAction("a." + EMOJI))
        .hasMessageContaining("invalid character '" + EMOJI + "' in segment 2")
        .satisfies(e -> assertThat(wellFormed(e.getMessage())).isTrue());
  }

  @Test
  void aResourceSegmentTooLong_isQuotedWellFormed() {
    assertThatThrownBy(() -> ResourcePattern.validateResource("r/a" + EMOJI.repeat(300)))
        .hasMessageContaining("segment 2 is 301 characters long")
        .satisfies(e -> assertThat(wellFormed(e.getMessage())).as(e.getMessage()).isTrue());
  }
}

package com.mandateregistry.api.mandate.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The resource grammar: literal segments, {@code *} for one segment, a trailing {@code /*} for
 * one or more, a trailing {@code /**} for zero or more, and linear-time matching.
 */
class ResourcePatternTest {

  private static final String INSTALLATION = "monco:project:proj_ABC123/zone:EG/installation:stk_42";

  @Test
  void literal_matchesTheSameResource() {
    assertThat(ResourcePattern.compile(INSTALLATION).matches(INSTALLATION)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "monco:project:proj_ABC123/zone:EG",
        "monco:project:proj_ABC123/zone:EG/installation:stk_42/part:1",
        "monco:project:proj_ABC123/zone:EG/installation:stk_4",
        "monco:project:proj_ABC123/zone:eg/installation:stk_42"
      })
  void literal_doesNotMatchAnotherResource(String resource) {
    assertThat(ResourcePattern.compile(INSTALLATION).matches(resource)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "monco:project:proj_ABC123",
        "monco:project:proj_ABC123/zone:EG",
        "monco:project:proj_ABC123/zone:EG/installation:stk_42"
      })
  void trailingDoubleStar_matchesTheNodeAndItsWholeSubtree(String resource) {
    assertThat(ResourcePattern.compile("monco:project:proj_ABC123/**").matches(resource)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "monco:project:proj_ABC1234",
        "monco:project:proj_ABC1234/zone:EG",
        "monco:project:proj_XYZ/zone:EG",
        "monco:project"
      })
  void trailingDoubleStar_doesNotMatchSiblingsSharingThePrefix(String resource) {
    assertThat(ResourcePattern.compile("monco:project:proj_ABC123/**").matches(resource))
        .isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"monco:project:proj_ABC123/zone:EG", INSTALLATION})
  void trailingStar_matchesOneOrMoreFurtherSegments(String resource) {
    assertThat(ResourcePattern.compile("monco:project:proj_ABC123/*").matches(resource)).isTrue();
  }

  @Test
  void trailingStar_doesNotMatchTheNodeItself() {
    assertThat(
            ResourcePattern.compile("monco:project:proj_ABC123/*")
                .matches("monco:project:proj_ABC123"))
        .isFalse();
  }

  @Test
  void innerStar_matchesExactlyOneSegment() {
    ResourcePattern pattern = ResourcePattern.compile("monco:project:proj_ABC123/*/installation:stk_42");
    assertThat(pattern.matches(INSTALLATION)).isTrue();
    assertThat(pattern.matches("monco:project:proj_ABC123/zone:UG/installation:stk_42")).isTrue();
    assertThat(pattern.matches("monco:project:proj_ABC123/installation:stk_42")).isFalse();
    assertThat(pattern.matches("monco:project:proj_ABC123/a/b/installation:stk_42")).isFalse();
  }

  @Test
  void innerStars_andTrailingDoubleStar_combine() {
    ResourcePattern pattern = ResourcePattern.compile("*/zone:EG/**");
    assertThat(pattern.matches("monco:project:proj_ABC123/zone:EG")).isTrue();
    assertThat(pattern.matches(INSTALLATION)).isTrue();
    assertThat(pattern.matches("monco:project:proj_ABC123/zone:UG/installation:stk_42")).isFalse();
    assertThat(pattern.matches("zone:EG")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "a/b", INSTALLATION, "x/y/z/w/v"})
  void loneDoubleStar_matchesEveryResource(String resource) {
    assertThat(ResourcePattern.compile("**").matches(resource)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "a/b", INSTALLATION})
  void loneStar_matchesEveryResource(String resource) {
    assertThat(ResourcePattern.compile("*").matches(resource)).isTrue();
  }

  @Test
  void matching_isCaseSensitive() {
    assertThat(ResourcePattern.compile("Project/**").matches("project/a")).isFalse();
  }

  @Test
  void segments_mayHoldAnyPrintableCharacter_includingUnicode() {
    String resource = "tenant:ü€/doc name with spaces/?&=#%:;@!/😀";
    assertThat(ResourcePattern.isValidResource(resource)).isTrue();
    assertThat(ResourcePattern.compile(resource).matches(resource)).isTrue();
    assertThat(ResourcePattern.compile("tenant:ü€/*/?&=#%:;@!/**").matches(resource)).isTrue();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|empty",
        "/a|segment 1 is empty",
        "/**|segment 1 is empty",
        "a/|segment 2 is empty",
        "a//b|segment 2 is empty",
        "a/**/b|'**' in segment 2 is allowed only as the last segment",
        "**/a|'**' in segment 1 is allowed only as the last segment",
        "a/proj_*|segment 2 contains '*'",
        "a/***|segment 2 contains '*'",
        "a/*b/c|segment 2 contains '*'",
        "'\u2003'|is all white space",
        "' \u3000\u2028'|is all white space",
        "'docs/cafe\u0301/**'|must be in Unicode Normalization Form C (NFC)"
      })
  void compile_rejectsInvalidPatterns_namingTheProblem(String pattern, String problem) {
    assertThatThrownBy(() -> ResourcePattern.compile(pattern))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(problem);
  }

  @Test
  void resources_mustNotBeBlank_andMustBeNfc_asPatternsMust() {
    assertThat(ResourcePattern.isValidResource("\u2003")).isFalse();
    assertThatThrownBy(() -> ResourcePattern.validateResource("\u3000"))
        .hasMessageContaining("is all white space");
    assertThatThrownBy(() -> ResourcePattern.validateResource("docs/cafe\u0301/secret"))
        .hasMessageContaining("Normalization Form C");
    assertThat(ResourcePattern.isValidResource("docs/caf\u00e9/secret")).isTrue();
    assertThat(ResourcePattern.isValidResource("\u00a0")).as("a no-break space is not white space in Java").isTrue();
    assertThat(ResourcePattern.compile("docs/caf\u00e9/**").matches("docs/caf\u00e9/secret")).isTrue();
  }

  @Test
  void compile_rejectsControlCharacters() {
    assertThatThrownBy(() -> ResourcePattern.compile("a/b\u0000c"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("segment 2 contains the control character U+0000")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u0000"));
  }

  @Test
  void compile_rejectsASegmentOver256Characters() {
    assertThatThrownBy(() -> ResourcePattern.compile("a/" + "x".repeat(257)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("segment 2 is 257 characters long; at most 256");
  }

  @Test
  void segmentLength_countsCodePoints_notUtf16Units() {
    String emoji = "😀".repeat(256); // 512 UTF-16 units, 256 code points
    assertThat(ResourcePattern.isValidResource(emoji)).isTrue();
    assertThat(ResourcePattern.isValidResource(emoji + "😀")).isFalse();
  }

  @Test
  void compile_rejectsNull() {
    assertThatThrownBy(() -> ResourcePattern.compile(null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/", "a/", "/a", "a//b", "a/*", "**", "a\tb", "a/\u007f"})
  void isValidResource_rejectsMalformedIds(String resource) {
    assertThat(ResourcePattern.isValidResource(resource)).isFalse();
  }

  @Test
  void validateResource_namesTheOffendingSegment() {
    assertThatThrownBy(() -> ResourcePattern.validateResource("a/b/c*"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("segment 3")
        .hasMessageContaining("'*'");
  }

  @Test
  void patterns_withTheSameSource_areEqual() {
    assertThat(ResourcePattern.compile("a/*/**"))
        .isEqualTo(ResourcePattern.compile("a/*/**"))
        .hasSameHashCodeAs(ResourcePattern.compile("a/*/**"))
        .hasToString("a/*/**");
  }

  // ---- pathological inputs: matching stays linear ----

  @Test
  @Timeout(2)
  void manyInnerStars_againstAResourceOneSegmentShort_failsFast() {
    int n = 50_000;
    String pattern = String.join("/", Collections.nCopies(n, "*")) + "/x";
    String resource = String.join("/", Collections.nCopies(n, "a")); // one segment short
    ResourcePattern compiled = ResourcePattern.compile(pattern);
    for (int i = 0; i < 100; i++) {
      assertThat(compiled.matches(resource)).isFalse();
    }
  }

  @Test
  @Timeout(2)
  void hugeResource_againstADeepPattern_isLinear() {
    int n = 100_000;
    String resource = String.join("/", Collections.nCopies(n, "seg"));
    ResourcePattern deep =
        ResourcePattern.compile(String.join("/", Collections.nCopies(n - 1, "*")) + "/other");
    ResourcePattern subtree = ResourcePattern.compile("seg/*/seg/**");
    for (int i = 0; i < 100; i++) {
      assertThat(deep.matches(resource)).isFalse();
      assertThat(subtree.matches(resource)).isTrue();
    }
  }

  @Test
  @Timeout(2)
  void longSegmentsThatDifferOnlyAtTheEnd_areComparedOnce() {
    String segment = "a".repeat(255);
    int n = 2_000;
    String resource = String.join("/", Collections.nCopies(n, segment + "b"));
    ResourcePattern pattern =
        ResourcePattern.compile(String.join("/", Collections.nCopies(n, segment + "c")) + "/**");
    for (int i = 0; i < 100; i++) {
      assertThat(pattern.matches(resource)).isFalse();
    }
  }

  @Test
  @Timeout(2)
  void validatingAHugeResource_isLinear() {
    String resource = String.join("/", Collections.nCopies(200_000, "segment"));
    assertThat(ResourcePattern.isValidResource(resource)).isTrue();
    assertThat(ResourcePattern.isValidResource(resource + "/")).isFalse();
  }

  @Test
  void matching_aMillionTimes_takesWellUnderFiveSeconds() {
    ResourcePattern pattern = ResourcePattern.compile("monco:project:proj_ABC123/*/*");
    long start = System.nanoTime();
    int matches = 0;
    for (int i = 0; i < 1_000_000; i++) {
      if (pattern.matches(INSTALLATION)) {
        matches++;
      }
    }
    assertThat(matches).isEqualTo(1_000_000);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }
}

package com.mandateregistry.api.mandate.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The action grammar: exact ids, {@code id.*} subtrees, the lone {@code *}, and what is refused. */
class ActionPatternTest {

  @Test
  void exact_matchesTheSameAction() {
    assertThat(ActionPattern.compile("construction.validation.approve").matches(
            "construction.validation.approve"))
        .isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "construction.validation",
        "construction.validation.approve.extra",
        "construction.validation.approvex",
        "construction.validation.approv"
      })
  void exact_doesNotMatchAnotherAction(String action) {
    assertThat(ActionPattern.compile("construction.validation.approve").matches(action)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "construction.validation.approve",
        "construction.validation.a.b",
        "construction.validation.0",
        "construction.validation.a-b_c"
      })
  void subtree_matchesOneOrMoreFurtherSegments(String action) {
    assertThat(ActionPattern.compile("construction.validation.*").matches(action)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "construction.validation", // the node itself
        "construction.validationx.y", // a sibling sharing the prefix
        "construction.validationx",
        "construction",
        "construction.other.approve",
        "other.validation.approve"
      })
  void subtree_doesNotMatchTheNodeItselfNorSiblings(String action) {
    assertThat(ActionPattern.compile("construction.validation.*").matches(action)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "construction.validation.approve", "x.y.z.w"})
  void loneStar_matchesEveryAction(String action) {
    assertThat(ActionPattern.compile("*").matches(action)).isTrue();
  }

  @Test
  void topLevelSubtree_matchesEverythingBelowTheSegment() {
    ActionPattern pattern = ActionPattern.compile("construction.*");
    assertThat(pattern.matches("construction.validation.approve")).isTrue();
    assertThat(pattern.matches("construction")).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|is empty",
        "Construction.validation|upper-case",
        "construction..approve|empty segment 2",
        ".construction|empty segment 1",
        "construction.|empty segment 2",
        "construction.*.approve|'*' is allowed only",
        "construction.validation*|'*' is allowed only",
        "construction.**|'*' is allowed only",
        "*.approve|'*' is allowed only",
        ".*|needs an action id",
        "construction._draft|must start with a lower-case letter or a digit",
        "construction.-draft|must start with a lower-case letter or a digit",
        "construction validation|U+0020",
        "construction/validation|invalid character '/'",
        "construction.validación|invalid character 'ó'"
      })
  void compile_rejectsInvalidPatterns_namingTheProblem(String pattern, String problem) {
    assertThatThrownBy(() -> ActionPattern.compile(pattern))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(problem);
  }

  @Test
  void compile_rejectsNull() {
    assertThatThrownBy(() -> ActionPattern.compile(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("null");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "a1", "0abc", "construction.validation.approve", "x-y_z.w"})
  void isValidAction_acceptsDottedLowerCaseIds(String action) {
    assertThat(ActionPattern.isValidAction(action)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "*", "a.*", "A", "a..b", "a.", " a", "a b", "_a"})
  void isValidAction_rejectsPatternsAndMalformedIds(String action) {
    assertThat(ActionPattern.isValidAction(action)).isFalse();
  }

  @Test
  void validateAction_namesTheOffendingSegment() {
    assertThatThrownBy(() -> ActionPattern.validateAction("construction.Validation"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("segment 2")
        .hasMessageContaining("upper-case");
  }

  @Test
  void errorMessage_ofAHugePattern_isShort() {
    String huge = "A".repeat(100_000);
    assertThatThrownBy(() -> ActionPattern.compile(huge))
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
  }

  @Test
  void patterns_withTheSameSource_areEqual() {
    assertThat(ActionPattern.compile("a.*"))
        .isEqualTo(ActionPattern.compile("a.*"))
        .hasSameHashCodeAs(ActionPattern.compile("a.*"))
        .hasToString("a.*");
  }
}

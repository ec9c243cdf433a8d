package com.mandateregistry.api.mandate.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Checking a whole scope at mandate creation: every bad entry, named by its index. */
class ScopePatternsTest {

  @Test
  void violations_ofAValidScope_isEmpty() {
    assertThat(
            ScopePatterns.violations(
                List.of("construction.validation.*", "*"), List.of("monco:project:p/**", "**")))
        .isEmpty();
  }

  @Test
  void violations_nameEachBadEntryByItsIndex() {
    List<PatternViolation> violations =
        ScopePatterns.violations(
            List.of("construction.validation.*", "Bad.Action", "a..b"),
            List.of("ok/**", "a/**/b"));
    assertThat(violations)
        .extracting(PatternViolation::param, PatternViolation::value)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("scope.actions[1]", "Bad.Action"),
            org.assertj.core.groups.Tuple.tuple("scope.actions[2]", "a..b"),
            org.assertj.core.groups.Tuple.tuple("scope.resources[1]", "a/**/b"));
    assertThat(violations.get(0).message()).contains("upper-case");
  }

  @Test
  void violations_ofEmptyOrMissingLists_nameTheList() {
    assertThat(ScopePatterns.violations(List.of(), null))
        .extracting(PatternViolation::param)
        .containsExactly("scope.actions", "scope.resources");
  }

  @Test
  void violations_ofANullEntry_nameItsIndex() {
    assertThat(ScopePatterns.violations(Arrays.asList("a", null), List.of("r")))
        .extracting(PatternViolation::param)
        .containsExactly("scope.actions[1]");
  }

  @Test
  void validate_throwsWithEveryViolation_andTheFirstInTheMessage() {
    assertThatThrownBy(() -> ScopePatterns.validate(List.of("A"), List.of("/x")))
        .isInstanceOf(InvalidScopeException.class)
        .hasMessageStartingWith("scope.actions[0]: ")
        .satisfies(
            e ->
                assertThat(((InvalidScopeException) e).violations())
                    .extracting(PatternViolation::param)
                    .containsExactly("scope.actions[0]", "scope.resources[0]"));
  }

  @Test
  void compile_keepsTheOrderOfTheLists() {
    assertThat(ScopePatterns.compileActions(List.of("b", "a.*")))
        .extracting(ActionPattern::source)
        .containsExactly("b", "a.*");
    assertThat(ScopePatterns.compileResources(List.of("r/**", "q")))
        .extracting(ResourcePattern::source)
        .containsExactly("r/**", "q");
  }
}

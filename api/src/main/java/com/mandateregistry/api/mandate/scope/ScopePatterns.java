package com.mandateregistry.api.mandate.scope;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks and compiles the pattern lists of a mandate's scope, so that the command side can refuse
 * a bad pattern at creation (naming its index) and the verification index can compile them once.
 */
public final class ScopePatterns {

  private ScopePatterns() {}

  /**
   * Every problem with the two lists: a missing or empty list ({@code scope.actions}), and each
   * null or invalid entry ({@code scope.actions[2]}). Empty when both lists are valid.
   */
  public static List<PatternViolation> violations(List<String> actions, List<String> resources) {
    List<PatternViolation> violations = new ArrayList<>();
    check(actions, "scope.actions", "action", true, violations);
    check(resources, "scope.resources", "resource", false, violations);
    return violations;
  }

  /**
   * Checks the two lists.
   *
   * @throws InvalidScopeException carrying every violation, when there is at least one
   */
  public static void validate(List<String> actions, List<String> resources) {
    List<PatternViolation> violations = violations(actions, resources);
    if (!violations.isEmpty()) {
      throw new InvalidScopeException(violations);
    }
  }

  /**
   * Compiles action patterns, in order.
   *
   * @throws IllegalArgumentException when one is invalid
   */
  public static List<ActionPattern> compileActions(List<String> actions) {
    List<ActionPattern> compiled = new ArrayList<>(actions.size());
    for (String action : actions) {
      compiled.add(ActionPattern.compile(action));
    }
    return List.copyOf(compiled);
  }

  /**
   * Compiles resource patterns, in order.
   *
   * @throws IllegalArgumentException when one is invalid
   */
  public static List<ResourcePattern> compileResources(List<String> resources) {
    List<ResourcePattern> compiled = new ArrayList<>(resources.size());
    for (String resource : resources) {
      compiled.add(ResourcePattern.compile(resource));
    }
    return List.copyOf(compiled);
  }

  private static void check(
      List<String> patterns,
      String param,
      String what,
      boolean actions,
      List<PatternViolation> violations) {
    if (patterns == null || patterns.isEmpty()) {
      violations.add(
          new PatternViolation(param, null, "at least one " + what + " pattern is required"));
      return;
    }
    for (int i = 0; i < patterns.size(); i++) {
      String pattern = patterns.get(i);
      String at = param + "[" + i + "]";
      if (pattern == null) {
        violations.add(new PatternViolation(at, null, what + " pattern must not be null"));
        continue;
      }
      try {
        if (actions) {
          ActionPattern.compile(pattern);
        } else {
          ResourcePattern.compile(pattern);
        }
      } catch (IllegalArgumentException e) {
        violations.add(new PatternViolation(at, pattern, e.getMessage()));
      }
    }
  }
}

package com.mandateregistry.api.mandate.scope;

import static com.mandateregistry.api.mandate.scope.Snippets.quote;

/**
 * A compiled action pattern of a mandate's scope.
 *
 * <p>Actions are dotted taxonomy ids: lower-case segments {@code [a-z0-9][a-z0-9_-]*} separated by
 * {@code .}, for example {@code construction.validation.approve}. A pattern is one of:
 *
 * <ul>
 *   <li>an action id, which matches exactly that action;
 *   <li>an action id followed by {@code .*}, which matches every action that continues it by one
 *       or more segments ({@code construction.validation.*} matches {@code
 *       construction.validation.approve} and {@code construction.validation.a.b}, but neither
 *       {@code construction.validation} nor {@code construction.validationx.y});
 *   <li>the lone {@code *}, which matches every action.
 * </ul>
 *
 * <p>{@link #matches} neither allocates nor validates: it expects a valid action id (see {@link
 * #validateAction}), which the verification request checks once before matching any pattern.
 * Instances are immutable and thread-safe; equal when their source text is equal.
 */
public final class ActionPattern {

  private enum Kind {
    EXACT,
    SUBTREE,
    ANY
  }

  private static final ActionPattern ANY = new ActionPattern("*", Kind.ANY, "");

  private final String source;
  private final Kind kind;
  /** The exact id, or for a subtree the id followed by the dot ({@code construction.validation.}). */
  private final String text;

  private ActionPattern(String source, Kind kind, String text) {
    this.source = source;
    this.kind = kind;
    this.text = text;
  }

  /**
   * Compiles a pattern.
   *
   * @throws IllegalArgumentException naming what is wrong, when {@code pattern} is not a valid
   *     action pattern
   */
  public static ActionPattern compile(String pattern) {
    if (pattern == null) {
      throw new IllegalArgumentException("action pattern must not be null");
    }
    if (pattern.equals("*")) {
      return ANY;
    }
    if (pattern.endsWith(".*")) {
      String base = pattern.substring(0, pattern.length() - 2);
      if (base.isEmpty()) {
        throw new IllegalArgumentException(
            "action pattern " + quote(pattern) + ": '.*' needs an action id before it");
      }
      String problem = problemWithId(base, "action pattern", pattern);
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
      return new ActionPattern(pattern, Kind.SUBTREE, base + ".");
    }
    String problem = problemWithId(pattern, "action pattern", pattern);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return new ActionPattern(pattern, Kind.EXACT, pattern);
  }

  /**
   * Whether this pattern matches {@code action}, which must be a valid action id (otherwise the
   * answer is unspecified). Runs in time linear in the action's length and allocates nothing.
   */
  public boolean matches(String action) {
    switch (kind) {
      case ANY:
        return true;
      case EXACT:
        return text.equals(action);
      default:
        return action.length() > text.length() && action.startsWith(text);
    }
  }

  /** The pattern as written. */
  public String source() {
    return source;
  }

  /** Whether {@code action} is a valid action id. */
  public static boolean isValidAction(String action) {
    return action != null && problemWithId(action, "action", action) == null;
  }

  /**
   * Checks that {@code action} is a valid action id.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static void validateAction(String action) {
    if (action == null) {
      throw new IllegalArgumentException("action must not be null");
    }
    String problem = problemWithId(action, "action", action);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /**
   * What is wrong with {@code id} as a dotted action id, or null when nothing is.
   *
   * @param what what is being checked, for the message ("action", "action pattern")
   * @param whole the whole text the user wrote, for the message
   */
  private static String problemWithId(String id, String what, String whole) {
    if (id.isEmpty()) {
      return what + " " + quote(whole) + " is empty";
    }
    int segment = 1;
    int segmentStart = 0;
    for (int i = 0; i <= id.length(); i++) {
      if (i == id.length() || id.charAt(i) == '.') {
        if (i == segmentStart) {
          return what
              + " "
              + quote(whole)
              + " has an empty segment "
              + segment
              + " (a leading, trailing or doubled '.')";
        }
        segment++;
        segmentStart = i + 1;
        continue;
      }
      char c = id.charAt(i);
      boolean first = i == segmentStart;
      boolean ok =
          (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (!first && (c == '_' || c == '-'));
      if (!ok) {
        String why;
        if (c == '*') {
          why = "'*' is allowed only as the whole pattern or as a last segment after '.'";
        } else if (c >= 'A' && c <= 'Z') {
          why = "upper-case letters are not allowed";
        } else if (first && (c == '_' || c == '-')) {
          why = "a segment must start with a lower-case letter or a digit";
        } else {
          why = "allowed are a-z, 0-9, '_' and '-'";
        }
        return what
            + " "
            + quote(whole)
            + ": invalid character "
            + Snippets.character(id, i)
            + " in segment "
            + segment
            + "; "
            + why;
      }
    }
    return null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ActionPattern other && source.equals(other.source);
  }

  @Override
  public int hashCode() {
    return source.hashCode();
  }

  @Override
  public String toString() {
    return source;
  }
}

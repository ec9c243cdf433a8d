package com.mandateregistry.api.mandate.scope;

import static com.mandateregistry.api.mandate.scope.Snippets.quote;

import com.mandateregistry.api.mandate.Nfc;
import java.util.ArrayList;
import java.util.List;

/**
 * A compiled resource pattern of a mandate's scope.
 *
 * <p>Resources are hierarchical ids: non-empty segments separated by {@code /}, for example {@code
 * monco:project:proj_ABC123/zone:EG/installation:stk_42}. A segment is 1 to 256 characters (code
 * points) of anything except {@code /}, {@code *} and control characters. In a pattern:
 *
 * <ul>
 *   <li>a literal segment matches exactly that segment (case-sensitive);
 *   <li>a {@code *} segment that is not the last matches exactly one segment;
 *   <li>a last segment {@code *} (a trailing {@code /*}) matches one or more further segments:
 *       everything below the node, not the node itself;
 *   <li>a last segment {@code **} (a trailing {@code /**}) matches zero or more further segments:
 *       the node itself and its whole subtree;
 *   <li>{@code **} anywhere but last is invalid; a {@code *} inside a segment ({@code proj_*}) is
 *       invalid;
 *   <li>the lone {@code **} matches every resource, and so does the lone {@code *} (one or more
 *       segments, and every resource has at least one).
 * </ul>
 *
 * <p>The pattern is compiled to an array of segments; {@link #matches} walks the resource once
 * without allocating, so matching is linear in the resource's length whatever the pattern. It
 * expects a valid resource id (see {@link #validateResource}), which the verification request
 * checks once before matching any pattern. Instances are immutable and thread-safe; equal when
 * their source text is equal.
 */
public final class ResourcePattern {

  /** The longest segment, in code points. */
  public static final int MAX_SEGMENT_LENGTH = 256;

  private enum Tail {
    /** The resource has exactly as many segments as the pattern. */
    NONE,
    /** A trailing {@code /*}: one or more further segments. */
    ONE_OR_MORE,
    /** A trailing {@code /**}: zero or more further segments. */
    ZERO_OR_MORE
  }

  private final String source;
  /** The leading segments; {@code null} stands for a {@code *} that matches exactly one segment. */
  private final String[] segments;

  private final Tail tail;

  private ResourcePattern(String source, String[] segments, Tail tail) {
    this.source = source;
    this.segments = segments;
    this.tail = tail;
  }

  /**
   * Compiles a pattern.
   *
   * @throws IllegalArgumentException naming what is wrong, when {@code pattern} is not a valid
   *     resource pattern
   */
  public static ResourcePattern compile(String pattern) {
    if (pattern == null) {
      throw new IllegalArgumentException("resource pattern must not be null");
    }
    if (pattern.isEmpty()) {
      throw new IllegalArgumentException("resource pattern is empty");
    }
    if (pattern.isBlank()) {
      throw new IllegalArgumentException(
          "resource pattern " + quote(pattern) + " is all white space");
    }
    if (!Nfc.isNormalized(pattern)) {
      throw new IllegalArgumentException("resource pattern " + quote(pattern) + " " + Nfc.MESSAGE);
    }
    List<String> parts = split(pattern);
    Tail tail = Tail.NONE;
    int fixed = parts.size();
    String last = parts.get(parts.size() - 1);
    if (last.equals("**")) {
      tail = Tail.ZERO_OR_MORE;
      fixed--;
    } else if (last.equals("*")) {
      tail = Tail.ONE_OR_MORE;
      fixed--;
    }
    String[] segments = new String[fixed];
    for (int i = 0; i < fixed; i++) {
      String part = parts.get(i);
      if (part.equals("*")) {
        segments[i] = null;
        continue;
      }
      if (part.equals("**")) {
        throw new IllegalArgumentException(
            "resource pattern "
                + quote(pattern)
                + ": '**' in segment "
                + (i + 1)
                + " is allowed only as the last segment");
      }
      String problem =
          problemWithSegment(part, 0, part.length(), i + 1, "resource pattern", pattern);
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
      segments[i] = part;
    }
    return new ResourcePattern(pattern, segments, tail);
  }

  /**
   * Whether this pattern matches {@code resource}, which must be a valid resource id (otherwise
   * the answer is unspecified). One pass over the resource, no allocation.
   */
  public boolean matches(String resource) {
    int length = resource.length();
    int position = 0;
    for (String segment : segments) {
      if (position > length) {
        return false; // the resource has fewer segments than the pattern
      }
      int end = resource.indexOf('/', position);
      if (end < 0) {
        end = length;
      }
      if (segment != null
          && (end - position != segment.length()
              || !resource.regionMatches(position, segment, 0, segment.length()))) {
        return false;
      }
      position = end + 1;
    }
    boolean noneLeft = position > length;
    switch (tail) {
      case NONE:
        return noneLeft;
      case ONE_OR_MORE:
        return !noneLeft;
      default:
        return true;
    }
  }

  /** The pattern as written. */
  public String source() {
    return source;
  }

  /** Whether {@code resource} is a valid resource id. */
  public static boolean isValidResource(String resource) {
    return resource != null && problemWithResource(resource) == null;
  }

  /**
   * Checks that {@code resource} is a valid resource id.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static void validateResource(String resource) {
    if (resource == null) {
      throw new IllegalArgumentException("resource must not be null");
    }
    String problem = problemWithResource(resource);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  private static String problemWithResource(String resource) {
    if (resource.isEmpty()) {
      return "resource is empty";
    }
    if (resource.isBlank()) {
      return "resource " + quote(resource) + " is all white space";
    }
    if (!Nfc.isNormalized(resource)) {
      return "resource " + quote(resource) + " " + Nfc.MESSAGE;
    }
    int segment = 1;
    int start = 0;
    for (int i = 0; i <= resource.length(); i++) {
      if (i == resource.length() || resource.charAt(i) == '/') {
        String problem = problemWithSegment(resource, start, i, segment, "resource", resource);
        if (problem != null) {
          return problem;
        }
        segment++;
        start = i + 1;
      }
    }
    return null;
  }

  /** Splits on every {@code /}, keeping empty parts (unlike {@link String#split}). */
  private static List<String> split(String text) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      if (i == text.length() || text.charAt(i) == '/') {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    return parts;
  }

  /**
   * What is wrong with the literal segment {@code text[from, to)}, or null when nothing is. Builds
   * a message only when something is wrong.
   */
  private static String problemWithSegment(
      String text, int from, int to, int number, String what, String whole) {
    if (from == to) {
      return what
          + " "
          + quote(whole)
          + ": segment "
          + number
          + " is empty (a leading, trailing or doubled '/')";
    }
    int codePoints = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c == '*') {
        return what
            + " "
            + quote(whole)
            + ": segment "
            + number
            + (what.equals("resource")
                ? " contains '*', which a resource id may not contain"
                : " contains '*'; a wildcard must be a whole segment ('*' or a last '**')");
      }
      if (Character.isISOControl(c)) {
        return what
            + " "
            + quote(whole)
            + ": segment "
            + number
            + String.format(" contains the control character U+%04X", (int) c);
      }
      boolean secondHalfOfPair =
          Character.isLowSurrogate(c) && i > from && Character.isHighSurrogate(text.charAt(i - 1));
      if (!secondHalfOfPair) {
        codePoints++;
      }
    }
    if (codePoints > MAX_SEGMENT_LENGTH) {
      return what
          + " "
          + quote(whole)
          + ": segment "
          + number
          + " is "
          + codePoints
          + " characters long; at most "
          + MAX_SEGMENT_LENGTH
          + " are allowed";
    }
    return null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResourcePattern other && source.equals(other.source);
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

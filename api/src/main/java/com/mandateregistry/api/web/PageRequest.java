package com.mandateregistry.api.web;

import java.util.regex.Pattern;

/**
 * Validated paging input of a 004 list endpoint.
 *
 * @param limit 1..200
 * @param after the decoded cursor position, or null for the first page
 */
public record PageRequest(int limit, String after) {

  /** At most nine digits: no {@code int} overflow, and far beyond {@link #MAX_LIMIT}. */
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 200;

  /**
   * Checks {@code limit} (the query parameter as sent, or null) and decodes {@code cursor} for the
   * list named {@code scope}. The limit is ASCII decimal digits and nothing else: Spring's own
   * conversion would also take {@code 0x10}, {@code +5}, padding and other scripts' digits.
   *
   * @throws ApiException 400 when the limit is not such a number in range or the cursor was not
   *     issued by us for this list
   */
  public static PageRequest of(String limit, String cursor, CursorCodec codec, String scope) {
    int l = DEFAULT_LIMIT;
    if (limit != null) {
      if (!DIGITS.matcher(limit).matches()) {
        throw ApiException.badRequest(
            "limit must be a whole number between 1 and " + MAX_LIMIT,
            new ErrorDetail(ErrorDetail.excerpt(limit), "must be a whole number between 1 and " + MAX_LIMIT, "limit", "query"));
      }
      l = Integer.parseInt(limit);
    }
    if (l < 1 || l > MAX_LIMIT) {
      throw ApiException.badRequest(
          "limit must be between 1 and " + MAX_LIMIT,
          new ErrorDetail(l, "must be between 1 and " + MAX_LIMIT, "limit", "query"));
    }
    String after = cursor == null || cursor.isEmpty() ? null : codec.decode(scope, cursor);
    return new PageRequest(l, after);
  }
}

package com.mandateregistry.api.web;

/**
 * Validated paging input of a 004 list endpoint.
 *
 * @param limit 1..200
 * @param after the decoded cursor position, or null for the first page
 */
public record PageRequest(int limit, String after) {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 200;

  /**
   * Checks {@code limit} and decodes {@code cursor} for the list named {@code scope}.
   *
   * @throws ApiException 400 when the limit is out of range or the cursor was not issued by us for
   *     this list
   */
  public static PageRequest of(Integer limit, String cursor, CursorCodec codec, String scope) {
    int l = limit == null ? DEFAULT_LIMIT : limit;
    if (l < 1 || l > MAX_LIMIT) {
      throw ApiException.badRequest(
          "limit must be between 1 and " + MAX_LIMIT,
          new ErrorDetail(limit, "must be between 1 and " + MAX_LIMIT, "limit", "query"));
    }
    String after = cursor == null || cursor.isEmpty() ? null : codec.decode(scope, cursor);
    return new PageRequest(l, after);
  }
}

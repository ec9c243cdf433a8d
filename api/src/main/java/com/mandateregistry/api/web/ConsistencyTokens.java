package com.mandateregistry.api.web;

import java.util.Objects;

/**
 * Consistency tokens: what a write of a mandate returns, so that a verification can ask for state
 * at least as fresh as that write (as Zanzibar's zookies do).
 *
 * <p>Every write of a mandate (create, revoke, suspend, reactivate, approve) answers with the
 * header {@value #HEADER}: the mandate id and the version the write produced, bound to the caller's
 * tenant. A verification ({@code POST /v1/verify}, the AuthZEN endpoints) that sends it back in the
 * same header is decided only once the answering node's verification index holds that mandate at
 * that version or later; it waits for that, and answers 503 if the index has not caught up in time.
 * So a mandate just created, approved or reactivated grants at once, instead of a DENY ({@code
 * NO_MATCHING_MANDATE}) while the index catches up. The mandate reads ({@code GET /v1/mandates},
 * {@code GET /v1/mandates/{id}}) take it too, and wait for the read model in the same way.
 *
 * <p>A token is opaque: base64url of the {@link CursorCodec} encoding (an HMAC with the cursor
 * secret, which every node shares) of the position {@code <mandate id>:<version>} in the scope
 * {@code consistency-token:<tenant id>}. A token another tenant was given, or one altered, is a 400.
 */
public final class ConsistencyTokens {

  /** The response header of a write, and the request header of a verification or a mandate read. */
  public static final String HEADER = "X-Consistency-Token";

  private static final String SCOPE = "consistency-token:";

  private final CursorCodec codec;

  public ConsistencyTokens(CursorCodec codec) {
    this.codec = Objects.requireNonNull(codec, "codec");
  }

  /** What a token names: the mandate, at this version or later. */
  public record Token(String mandateId, long version) {}

  /** The token of a write that left {@code mandateId} at {@code version}. */
  public String issue(String tenantId, String mandateId, long version) {
    return codec.encode(SCOPE + tenantId, mandateId + ":" + version);
  }

  /**
   * Reads a token the caller sent.
   *
   * @throws ApiException 400 when it is not a token issued to {@code tenantId} (altered, another
   *     tenant's, or not a token at all)
   */
  public Token read(String tenantId, String token) {
    String position;
    try {
      position = codec.decode(SCOPE + tenantId, token);
    } catch (ApiException e) {
      throw invalid(token);
    }
    int colon = position.lastIndexOf(':');
    try {
      return new Token(position.substring(0, colon), Long.parseLong(position.substring(colon + 1)));
    } catch (RuntimeException e) {
      throw invalid(token); // not one this class issued under the shared secret
    }
  }

  private static ApiException invalid(String token) {
    return ApiException.badRequest(
        HEADER + " is not a consistency token issued to this tenant",
        new ErrorDetail(
            ErrorDetail.excerpt(token),
            "must be the " + HEADER + " of a write of this tenant's mandate",
            HEADER,
            "header"));
  }
}

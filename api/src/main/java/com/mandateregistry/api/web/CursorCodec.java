package com.mandateregistry.api.web;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque, tamper-evident pagination cursors.
 *
 * <p>A cursor is base64url (no padding) of {@code scope 0x00 position 0x00 tag}, where {@code tag}
 * is the first 16 bytes of HMAC-SHA256(secret, scope 0x00 position). The scope names the list (and
 * its filters), so a cursor of one list is refused by another. Every node must share the secret.
 */
public final class CursorCodec {

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  private static final int TAG_LENGTH = 16;

  private final SecretKeySpec key;

  public CursorCodec(byte[] secret) {
    if (secret.length < 16) {
      throw new IllegalArgumentException("cursor secret must be at least 16 bytes");
    }
    this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
  }

  /** Encodes {@code position} (a keyset value without NUL characters) for the list {@code scope}. */
  public String encode(String scope, String position) {
    byte[] body = (scope + '\0' + position).getBytes(StandardCharsets.UTF_8);
    byte[] tag = tag(body);
    byte[] out = Arrays.copyOf(body, body.length + 1 + TAG_LENGTH);
    out[body.length] = 0;
    System.arraycopy(tag, 0, out, body.length + 1, TAG_LENGTH);
    return ENCODER.encodeToString(out);
  }

  /**
   * Decodes a cursor issued by {@link #encode} for the same scope.
   *
   * @throws ApiException 400 when the cursor is malformed, tampered with, or from another list
   */
  public String decode(String scope, String cursor) {
    byte[] raw;
    try {
      raw = DECODER.decode(cursor);
    } catch (IllegalArgumentException e) {
      throw invalid(cursor);
    }
    if (raw.length < TAG_LENGTH + 2 || raw[raw.length - TAG_LENGTH - 1] != 0) {
      throw invalid(cursor);
    }
    byte[] body = Arrays.copyOf(raw, raw.length - TAG_LENGTH - 1);
    byte[] tag = Arrays.copyOfRange(raw, raw.length - TAG_LENGTH, raw.length);
    if (!MessageDigest.isEqual(tag, tag(body))) {
      throw invalid(cursor);
    }
    String text = new String(body, StandardCharsets.UTF_8);
    int sep = text.indexOf('\0');
    if (sep < 0 || !text.substring(0, sep).equals(scope)) {
      throw invalid(cursor);
    }
    return text.substring(sep + 1);
  }

  private byte[] tag(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return Arrays.copyOf(mac.doFinal(body), TAG_LENGTH);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private static ApiException invalid(String cursor) {
    return ApiException.badRequest(
        "cursor is not valid for this list",
        new ErrorDetail(cursor, "not a cursor issued for this list", "cursor", "query"));
  }
}

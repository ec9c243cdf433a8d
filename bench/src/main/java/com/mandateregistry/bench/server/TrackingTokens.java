package com.mandateregistry.bench.server;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a processor's position from its stored tracking token ({@code token_entry.token}, JSON). */
public final class TrackingTokens {

  private static final Pattern INDEX = Pattern.compile("\"index\"\\s*:\\s*(\\d+)");

  private TrackingTokens() {}

  /** The global index a gap-aware token has reached; 0 for a missing token or one without an index. */
  public static long index(String token) {
    Matcher m = token == null ? null : INDEX.matcher(token);
    return m != null && m.find() ? Long.parseLong(m.group(1)) : 0;
  }
}

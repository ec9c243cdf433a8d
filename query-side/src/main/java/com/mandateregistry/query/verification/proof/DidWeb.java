package com.mandateregistry.query.verification.proof;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The did:web method (W3C CCG did:web): the DID of a web origin, and back.
 *
 * <p>{@code did:web:} followed by the host in lower case; a port, if the URL names one, follows
 * percent-encoded ({@code localhost:8080} becomes {@code localhost%3A8080}); each path segment
 * follows after a {@code :}. Resolution reverses it: {@code did:web:example.com} resolves to
 * {@code https://example.com/.well-known/did.json}, {@code did:web:example.com:a:b} to {@code
 * https://example.com/a/b/did.json}.
 */
public final class DidWeb {

  private DidWeb() {}

  /**
   * The did:web DID of {@code baseUrl}, for example {@code http://localhost:8080} → {@code
   * did:web:localhost%3A8080}, {@code https://api.example.com/registry/} → {@code
   * did:web:api.example.com:registry}.
   *
   * @throws IllegalArgumentException if {@code baseUrl} is not an absolute http(s) URL with a host
   *     name, or has user info, a query or a fragment
   */
  public static String fromUrl(String baseUrl) {
    URI uri;
    try {
      uri = new URI(baseUrl.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + baseUrl, e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new IllegalArgumentException("not an http(s) URL: " + baseUrl);
    }
    String host = uri.getHost();
    if (host == null || host.startsWith("[")) {
      throw new IllegalArgumentException("a did:web needs a host name: " + baseUrl);
    }
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("a did:web base URL has no user info, query or fragment: " + baseUrl);
    }
    StringBuilder did = new StringBuilder("did:web:").append(host.toLowerCase(Locale.ROOT));
    if (uri.getPort() != -1) {
      did.append("%3A").append(uri.getPort());
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    for (String segment : path.split("/")) {
      if (!segment.isEmpty()) {
        did.append(':').append(segment.replace(":", "%3A"));
      }
    }
    return did.toString();
  }
}

package com.mandateregistry.query.verification.proof;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The Proof-of-Mandate settings.
 *
 * <ul>
 *   <li>{@code mandate-registry.public-base-url} (default {@code http://localhost:8080}): where
 *       clients reach the service; the DID document's service endpoint and, by default, the DID.
 *   <li>{@code mandate-registry.proof.issuer-did} (default: the did:web of the public base URL,
 *       {@link DidWeb#fromUrl}): {@code iss} of every credential and {@code id} of the DID document.
 *   <li>{@code mandate-registry.proof.vct} (default {@value #DEFAULT_VCT}): the credential type.
 *   <li>{@code mandate-registry.proof.ttl} (default {@code PT5M}): {@code exp - iat}.
 * </ul>
 */
@Component
public class ProofSettings {

  /** The credential type of a Proof-of-Mandate, version 1 of its claim set. */
  public static final String DEFAULT_VCT = "https://mandate-registry.dev/vct/proof-of-mandate/v1";

  private static final Logger log = LoggerFactory.getLogger(ProofSettings.class);

  private final String publicBaseUrl;
  private final String issuerDid;
  private final String vct;
  private final Duration ttl;

  ProofSettings(
      @Value("${mandate-registry.public-base-url:http://localhost:8080}") String publicBaseUrl,
      @Value("${mandate-registry.proof.issuer-did:}") String issuerDid,
      @Value("${mandate-registry.proof.vct:" + DEFAULT_VCT + "}") String vct,
      @Value("${mandate-registry.proof.ttl:PT5M}") Duration ttl) {
    this.publicBaseUrl = stripTrailingSlash(Objects.requireNonNull(publicBaseUrl, "publicBaseUrl").trim());
    String derived = DidWeb.fromUrl(this.publicBaseUrl);
    this.issuerDid = issuerDid == null || issuerDid.isBlank() ? derived : issuerDid.trim();
    if (!this.issuerDid.startsWith("did:web:") || this.issuerDid.contains("#")) {
      // verifiers resolve the issuer as did:web only, and refuse any other iss (proof-of-mandate.md §8)
      throw new IllegalArgumentException(
          "mandate-registry.proof.issuer-did must be a did:web DID without fragment, got " + issuerDid);
    }
    this.vct = Objects.requireNonNull(vct, "vct").trim();
    if (this.vct.isEmpty()) {
      throw new IllegalArgumentException("mandate-registry.proof.vct must not be blank");
    }
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("mandate-registry.proof.ttl must be at least 1 second, got " + ttl);
    }
    if (!servedAsPublished(this.publicBaseUrl)) {
      log.warn("mandate-registry.public-base-url {} is not https: relying parties cannot resolve the"
          + " issuer's did:web, and AuthZEN requires an https policy_decision_point; set it to the"
          + " https URL clients reach this service at", this.publicBaseUrl);
    }
  }

  /**
   * Whether relying parties and AuthZEN clients can use {@code publicBaseUrl} as published: an
   * https URL (did:web resolves over https only, and AuthZEN's {@code policy_decision_point} is an
   * https URL), or an http URL of this machine's loopback, which only a local client reaches.
   */
  static boolean servedAsPublished(String publicBaseUrl) {
    URI uri;
    try {
      uri = URI.create(publicBaseUrl);
    } catch (IllegalArgumentException e) {
      return false;
    }
    if ("https".equalsIgnoreCase(uri.getScheme())) {
      return true;
    }
    String host = uri.getHost() == null ? "" : uri.getHost();
    return "http".equalsIgnoreCase(uri.getScheme())
        && (host.equalsIgnoreCase("localhost") || host.equals("127.0.0.1") || host.equals("[::1]"));
  }

  private static String stripTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** The public base URL, without a trailing slash. */
  public String publicBaseUrl() {
    return publicBaseUrl;
  }

  /** The issuer DID. */
  public String issuerDid() {
    return issuerDid;
  }

  public String vct() {
    return vct;
  }

  public Duration ttl() {
    return ttl;
  }
}

package com.mandateregistry.crypto.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kms.model.DescribeKeyRequest;
import software.amazon.awssdk.services.kms.model.DescribeKeyResponse;
import software.amazon.awssdk.services.kms.model.GetPublicKeyRequest;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KmsInternalException;
import software.amazon.awssdk.services.kms.model.KmsInvalidSignatureException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.SignRequest;
import software.amazon.awssdk.services.kms.model.SignResponse;

/**
 * TEST-ONLY HELPER: a fake AWS KMS endpoint over real HTTP, so that the SDK's own {@code KmsClient}
 * (HTTP client, SigV4 signing, the JSON 1.1 protocol, error unmarshalling, retries, endpoint
 * override) can be exercised where LocalStack cannot run. Never use it outside tests.
 *
 * <p>It listens on {@code 127.0.0.1} on a free port ({@link #uri()}) and speaks the KMS wire format:
 * {@code POST /}, {@code Content-Type: application/x-amz-json-1.1}, {@code X-Amz-Target:
 * TrentService.<Operation>}, JSON bodies with the AWS member names (blobs base64, timestamps epoch
 * seconds as numbers, enums as strings), errors as {@code {"__type": "<code>", "message": "…"}} with
 * HTTP 4xx/5xx. It serves {@code GetPublicKey}, {@code DescribeKey} and {@code Sign} by delegating
 * to an {@link InMemoryKmsClient}, whose keys and fault switches apply (an {@link
 * SdkClientException} from it, i.e. {@code setAvailable(false)}, drops the connection).
 *
 * <p>Every request must be signed with SigV4 by {@link #ACCESS_KEY_ID}/{@link #SECRET_ACCESS_KEY}
 * for region {@code eu-west-1} and service {@code kms}: the fake recomputes the signature over the
 * method, path, query, signed headers and body hash and refuses a request whose signature differs
 * ({@code InvalidSignatureException}), that is not SigV4 ({@code MissingAuthenticationTokenException})
 * or that names another access key ({@code UnrecognizedClientException}). Request bodies with
 * members the fake does not know are refused ({@code SerializationException}), so a member name
 * that differs between the SDK and the fake shows up as a failure, not as a silent null.
 *
 * <p>Use {@link #useDummyCredentials()} to put the matching credentials into the system properties
 * the SDK's default credentials chain reads first. {@link #setMode} makes the endpoint answer 503 or
 * drop connections; {@link #close} stops it (connections are then refused).
 */
public final class KmsHttpFake implements AutoCloseable {

  /** The access key id the fake accepts; see {@link #useDummyCredentials()}. */
  public static final String ACCESS_KEY_ID = "AKIAKMSHTTPFAKE00001";

  /** The secret access key the fake checks signatures with. */
  public static final String SECRET_ACCESS_KEY = "kms-http-fake/secret/not-a-real-key/0000";

  public static final String CONTENT_TYPE = "application/x-amz-json-1.1";
  public static final String TARGET_PREFIX = "TrentService.";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
  private static final Duration MAX_SKEW = Duration.ofMinutes(15);

  /** How the endpoint behaves. */
  public enum Mode {
    /** Normal service. */
    AVAILABLE,
    /** Every request is answered {@code 503 ServiceUnavailableException}. */
    SERVICE_UNAVAILABLE,
    /** Every request's connection is closed without a response. */
    DROP_CONNECTIONS
  }

  /**
   * One request as received.
   *
   * @param operation the operation named by {@code X-Amz-Target} (without {@code TrentService.}),
   *     or {@code null} if there was none
   * @param headers the request headers, lower-case names, values joined with {@code ,}
   * @param body the request body as JSON ({@code null} if it was not JSON)
   * @param status the HTTP status answered, {@code -1} for a dropped connection
   * @param response the response body ({@code null} for a dropped connection)
   */
  public record Received(String operation, Map<String, String> headers, JsonNode body, int status, JsonNode response) {

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** Restores the {@code aws.*} credential system properties as they were; see {@link #useCredentials}. */
  public static final class CredentialsOverride implements AutoCloseable {
    private static final List<String> NAMES = List.of("aws.accessKeyId", "aws.secretAccessKey", "aws.sessionToken");
    private final Map<String, String> previous = new LinkedHashMap<>();

    private CredentialsOverride(String accessKeyId, String secretAccessKey) {
      for (String name : NAMES) {
        previous.put(name, System.getProperty(name));
      }
      System.setProperty("aws.accessKeyId", accessKeyId);
      System.setProperty("aws.secretAccessKey", secretAccessKey);
      System.clearProperty("aws.sessionToken");
    }

    @Override
    public void close() {
      previous.forEach((name, value) -> {
        if (value == null) {
          System.clearProperty(name);
        } else {
          System.setProperty(name, value);
        }
      });
    }
  }

  private final InMemoryKmsClient kms;
  private final HttpServer server;
  private final ExecutorService executor;
  private final URI uri;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile Mode mode = Mode.AVAILABLE;

  private KmsHttpFake(InMemoryKmsClient kms) throws IOException {
    this.kms = kms;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "kms-http-fake");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    this.uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Starts a fake endpoint in front of {@code kms}. */
  public static KmsHttpFake start(InMemoryKmsClient kms) {
    try {
      return new KmsHttpFake(kms);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the KMS HTTP fake", e);
    }
  }

  /**
   * Sets {@code aws.accessKeyId}/{@code aws.secretAccessKey} to the credentials this fake accepts
   * (and clears {@code aws.sessionToken}) until the returned handle is closed.
   */
  public static CredentialsOverride useDummyCredentials() {
    return useCredentials(ACCESS_KEY_ID, SECRET_ACCESS_KEY);
  }

  /** As {@link #useDummyCredentials()}, with other credentials (to see them refused). */
  public static CredentialsOverride useCredentials(String accessKeyId, String secretAccessKey) {
    return new CredentialsOverride(accessKeyId, secretAccessKey);
  }

  /** {@code http://127.0.0.1:<port>}, for {@code endpointOverride}. */
  public URI uri() {
    return uri;
  }

  /** The KMS behind the endpoint. */
  public InMemoryKmsClient kms() {
    return kms;
  }

  public void setMode(Mode mode) {
    this.mode = mode;
  }

  /** Every request received, in order. */
  public List<Received> requests() {
    return List.copyOf(received);
  }

  /** The requests for {@code operation} ({@code "Sign"}, …), in order. */
  public List<Received> requests(String operation) {
    return received.stream().filter(r -> operation.equals(r.operation())).toList();
  }

  /** How many requests named {@code operation}, answered or not. */
  public int requestCount(String operation) {
    return requests(operation).size();
  }

  /** Stops listening: from now on connections to {@link #uri()} are refused. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  // ---------------------------------------------------------------------------------------------

  private record Answer(int status, JsonNode body) {}

  /** An AWS JSON error to answer with. */
  private static final class AwsError extends RuntimeException {
    final int status;
    final String code;

    AwsError(int status, String code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  /** Thrown to make the JDK server close the connection without a response. */
  private static final class DropConnection extends RuntimeException {
    DropConnection() {
      super("KmsHttpFake: connection dropped on purpose", null, false, false);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] bodyBytes = exchange.getRequestBody().readAllBytes();
    Map<String, String> headers = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((name, values) ->
        headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
    String target = headers.get("x-amz-target");
    String operation = target != null && target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : null;
    JsonNode body = null;
    try {
      body = bodyBytes.length == 0 ? null : JSON.readTree(bodyBytes);
    } catch (IOException notJson) {
      // answered below as a SerializationException
    }
    Answer answer;
    try {
      Mode current = mode;
      if (current == Mode.DROP_CONNECTIONS) {
        throw new DropConnection();
      }
      if (current == Mode.SERVICE_UNAVAILABLE) {
        throw new AwsError(503, "ServiceUnavailableException", "KMS is unavailable (KmsHttpFake)");
      }
      checkRequest(exchange, headers, bodyBytes, target);
      if (body == null || !body.isObject()) {
        throw new AwsError(400, "SerializationException", "request body is not a JSON object");
      }
      answer = new Answer(200, dispatch(operation, (ObjectNode) body));
    } catch (DropConnection drop) {
      received.add(new Received(operation, headers, body, -1, null));
      exchange.close();
      throw drop;
    } catch (AwsError e) {
      answer = error(e.status, e.code, e.getMessage());
    } catch (AwsServiceException e) {
      answer = error(e.statusCode() > 0 ? e.statusCode() : 400, errorCode(e),
          e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
              ? e.awsErrorDetails().errorMessage() : e.getMessage());
    } catch (SdkClientException e) {
      // the in-memory KMS is "unreachable": behave like a network failure
      received.add(new Received(operation, headers, body, -1, null));
      exchange.close();
      throw new DropConnection();
    } catch (UnsupportedOperationException e) {
      answer = error(400, "UnsupportedOperationException", String.valueOf(e.getMessage()));
    } catch (RuntimeException e) {
      answer = error(500, "KMSInternalException", "KmsHttpFake: " + e);
    }
    received.add(new Received(operation, headers, body, answer.status(), answer.body()));
    byte[] out = JSON.writeValueAsBytes(answer.body());
    exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
    exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
    exchange.sendResponseHeaders(answer.status(), out.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(out);
    }
    exchange.close();
  }

  private static Answer error(int status, String code, String message) {
    ObjectNode node = JSON.createObjectNode();
    node.put("__type", code);
    node.put("message", message);
    return new Answer(status, node);
  }

  /** The AWS error code of an exception thrown by the in-memory KMS (the SDK maps it back by this code). */
  static String errorCode(AwsServiceException e) {
    if (e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null) {
      return e.awsErrorDetails().errorCode();
    }
    if (e instanceof KmsInternalException) {
      return "KMSInternalException";
    }
    if (e instanceof KmsInvalidStateException) {
      return "KMSInvalidStateException";
    }
    if (e instanceof KmsInvalidSignatureException) {
      return "KMSInvalidSignatureException";
    }
    return e.getClass().getSimpleName();
  }

  private void checkRequest(HttpExchange exchange, Map<String, String> headers, byte[] body, String target) {
    if (!"POST".equals(exchange.getRequestMethod()) || !"/".equals(exchange.getRequestURI().getRawPath())) {
      throw new AwsError(404, "UnknownOperationException",
          exchange.getRequestMethod() + " " + exchange.getRequestURI() + " is not a KMS operation");
    }
    if (target == null || !target.startsWith(TARGET_PREFIX)) {
      throw new AwsError(400, "UnknownOperationException", "missing or unknown X-Amz-Target: " + target);
    }
    String contentType = headers.get("content-type");
    if (contentType == null || !contentType.startsWith(CONTENT_TYPE)) {
      throw new AwsError(400, "SerializationException", "Content-Type must be " + CONTENT_TYPE + ", was " + contentType);
    }
    checkSigV4(exchange, headers, body);
  }

  // ----- SigV4 -----------------------------------------------------------------------------------

  private void checkSigV4(HttpExchange exchange, Map<String, String> headers, byte[] body) {
    String authorization = headers.get("authorization");
    if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
      throw new AwsError(400, "MissingAuthenticationTokenException",
          "Missing Authentication Token (want an AWS4-HMAC-SHA256 Authorization header)");
    }
    Map<String, String> parts = new LinkedHashMap<>();
    for (String part : authorization.substring("AWS4-HMAC-SHA256 ".length()).split(",")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        parts.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
      }
    }
    String credential = parts.get("Credential");
    String signedHeaders = parts.get("SignedHeaders");
    String signature = parts.get("Signature");
    if (credential == null || signedHeaders == null || signature == null) {
      throw new AwsError(400, "IncompleteSignatureException", "Authorization header lacks Credential, SignedHeaders or Signature");
    }
    String[] scope = credential.split("/");
    if (scope.length != 5 || !"aws4_request".equals(scope[4])) {
      throw new AwsError(400, "IncompleteSignatureException", "bad credential scope " + credential);
    }
    if (!ACCESS_KEY_ID.equals(scope[0])) {
      throw new AwsError(400, "UnrecognizedClientException", "The security token included in the request is invalid.");
    }
    if (!InMemoryKmsClient.REGION.equals(scope[2]) || !"kms".equals(scope[3])) {
      throw new AwsError(400, "InvalidSignatureException",
          "Credential should be scoped to region " + InMemoryKmsClient.REGION + " and service kms, was " + credential);
    }
    String amzDate = headers.get("x-amz-date");
    if (amzDate == null || !amzDate.startsWith(scope[1])) {
      throw new AwsError(400, "IncompleteSignatureException", "X-Amz-Date " + amzDate + " does not match the scope date " + scope[1]);
    }
    try {
      Instant signedAt = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
      if (Duration.between(signedAt, Instant.now()).abs().compareTo(MAX_SKEW) > 0) {
        throw new AwsError(400, "InvalidSignatureException", "Signature expired: " + amzDate);
      }
    } catch (DateTimeParseException e) {
      throw new AwsError(400, "IncompleteSignatureException", "bad X-Amz-Date " + amzDate);
    }
    List<String> names = List.of(signedHeaders.split(";"));
    if (!names.contains("host") || !names.contains("x-amz-date")) {
      throw new AwsError(400, "InvalidSignatureException", "host and x-amz-date must be signed: " + signedHeaders);
    }
    StringBuilder canonicalHeaders = new StringBuilder();
    for (String name : names) {
      List<String> values = exchange.getRequestHeaders().get(name);
      if (values == null) {
        throw new AwsError(400, "InvalidSignatureException", "signed header " + name + " is missing");
      }
      canonicalHeaders.append(name).append(':')
          .append(String.join(",", values.stream().map(v -> v.trim().replaceAll(" +", " ")).toList()))
          .append('\n');
    }
    String payloadHash = hex(sha256(body));
    String declared = headers.get("x-amz-content-sha256");
    if (declared != null && !declared.equals(payloadHash)) {
      throw new AwsError(400, "InvalidSignatureException", "x-amz-content-sha256 does not match the body");
    }
    String rawQuery = exchange.getRequestURI().getRawQuery();
    String canonicalRequest = String.join("\n",
        exchange.getRequestMethod(),
        exchange.getRequestURI().getRawPath(),
        rawQuery == null ? "" : rawQuery,
        canonicalHeaders.toString(),
        signedHeaders,
        payloadHash);
    String stringToSign = String.join("\n",
        "AWS4-HMAC-SHA256",
        amzDate,
        String.join("/", scope[1], scope[2], scope[3], scope[4]),
        hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8))));
    byte[] key = hmac(("AWS4" + SECRET_ACCESS_KEY).getBytes(StandardCharsets.UTF_8), scope[1]);
    key = hmac(key, scope[2]);
    key = hmac(key, scope[3]);
    key = hmac(key, scope[4]);
    String expected = hex(hmac(key, stringToSign));
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII))) {
      throw new AwsError(400, "InvalidSignatureException",
          "The request signature we calculated does not match the signature you provided.");
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  // ----- operations: JSON <-> SDK model -----------------------------------------------------------

  private JsonNode dispatch(String operation, ObjectNode request) {
    return switch (operation) {
      case "GetPublicKey" -> getPublicKey(request);
      case "DescribeKey" -> describeKey(request);
      case "Sign" -> sign(request);
      default -> throw new AwsError(400, "UnknownOperationException", "KmsHttpFake does not serve " + operation);
    };
  }

  private JsonNode getPublicKey(ObjectNode request) {
    Members in = new Members(request, "KeyId", "GrantTokens");
    GetPublicKeyResponse r = kms.getPublicKey(GetPublicKeyRequest.builder()
        .keyId(in.string("KeyId"))
        .grantTokens(in.strings("GrantTokens"))
        .build());
    ObjectNode out = JSON.createObjectNode();
    putString(out, "KeyId", r.keyId());
    putBlob(out, "PublicKey", r.publicKey());
    putString(out, "CustomerMasterKeySpec", r.customerMasterKeySpecAsString());
    putString(out, "KeySpec", r.keySpecAsString());
    putString(out, "KeyUsage", r.keyUsageAsString());
    putStrings(out, "EncryptionAlgorithms", r.hasEncryptionAlgorithms() ? r.encryptionAlgorithmsAsStrings() : null);
    putStrings(out, "SigningAlgorithms", r.hasSigningAlgorithms() ? r.signingAlgorithmsAsStrings() : null);
    putStrings(out, "KeyAgreementAlgorithms", r.hasKeyAgreementAlgorithms() ? r.keyAgreementAlgorithmsAsStrings() : null);
    return out;
  }

  private JsonNode describeKey(ObjectNode request) {
    Members in = new Members(request, "KeyId", "GrantTokens");
    DescribeKeyResponse r = kms.describeKey(DescribeKeyRequest.builder()
        .keyId(in.string("KeyId"))
        .grantTokens(in.strings("GrantTokens"))
        .build());
    ObjectNode out = JSON.createObjectNode();
    KeyMetadata m = r.keyMetadata();
    if (m != null) {
      ObjectNode meta = out.putObject("KeyMetadata");
      putString(meta, "AWSAccountId", m.awsAccountId());
      putString(meta, "KeyId", m.keyId());
      putString(meta, "Arn", m.arn());
      putTimestamp(meta, "CreationDate", m.creationDate());
      if (m.enabled() != null) {
        meta.put("Enabled", m.enabled());
      }
      putString(meta, "Description", m.description());
      putString(meta, "KeyUsage", m.keyUsageAsString());
      putString(meta, "KeyState", m.keyStateAsString());
      putTimestamp(meta, "DeletionDate", m.deletionDate());
      putTimestamp(meta, "ValidTo", m.validTo());
      putString(meta, "Origin", m.originAsString());
      putString(meta, "KeyManager", m.keyManagerAsString());
      putString(meta, "CustomerMasterKeySpec", m.customerMasterKeySpecAsString());
      putString(meta, "KeySpec", m.keySpecAsString());
      putStrings(meta, "EncryptionAlgorithms", m.hasEncryptionAlgorithms() ? m.encryptionAlgorithmsAsStrings() : null);
      putStrings(meta, "SigningAlgorithms", m.hasSigningAlgorithms() ? m.signingAlgorithmsAsStrings() : null);
      putStrings(meta, "KeyAgreementAlgorithms", m.hasKeyAgreementAlgorithms() ? m.keyAgreementAlgorithmsAsStrings() : null);
      if (m.multiRegion() != null) {
        meta.put("MultiRegion", m.multiRegion());
      }
    }
    return out;
  }

  private JsonNode sign(ObjectNode request) {
    Members in = new Members(request, "KeyId", "Message", "MessageType", "GrantTokens", "SigningAlgorithm", "DryRun");
    if (Boolean.TRUE.equals(in.bool("DryRun"))) {
      throw new AwsError(412, "DryRunOperationException", "KmsHttpFake does not support DryRun");
    }
    SignResponse r = kms.sign(SignRequest.builder()
        .keyId(in.string("KeyId"))
        .message(in.blob("Message"))
        .messageType(in.string("MessageType"))
        .grantTokens(in.strings("GrantTokens"))
        .signingAlgorithm(in.string("SigningAlgorithm"))
        .build());
    ObjectNode out = JSON.createObjectNode();
    putString(out, "KeyId", r.keyId());
    putBlob(out, "Signature", r.signature());
    putString(out, "SigningAlgorithm", r.signingAlgorithmAsString());
    return out;
  }

  /** The members of a request object, refusing unknown members and wrong JSON types. */
  private static final class Members {
    private final ObjectNode node;

    Members(ObjectNode node, String... known) {
      this.node = node;
      Set<String> allowed = Set.of(known);
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!allowed.contains(name)) {
          throw new AwsError(400, "SerializationException", "unknown member " + name);
        }
      }
    }

    String string(String name) {
      return value(name, JsonNode::isTextual, JsonNode::asText);
    }

    Boolean bool(String name) {
      return value(name, JsonNode::isBoolean, JsonNode::asBoolean);
    }

    SdkBytes blob(String name) {
      String base64 = string(name);
      if (base64 == null) {
        return null;
      }
      try {
        return SdkBytes.fromByteArray(Base64.getDecoder().decode(base64));
      } catch (IllegalArgumentException e) {
        throw new AwsError(400, "SerializationException", name + " is not base64");
      }
    }

    List<String> strings(String name) {
      JsonNode value = node.get(name);
      if (value == null || value.isNull()) {
        return null;
      }
      if (!value.isArray()) {
        throw new AwsError(400, "SerializationException", name + " must be a list");
      }
      List<String> list = new ArrayList<>();
      for (JsonNode item : value) {
        if (!item.isTextual()) {
          throw new AwsError(400, "SerializationException", name + " must be a list of strings");
        }
        list.add(item.asText());
      }
      return Collections.unmodifiableList(list);
    }

    private <T> T value(String name, java.util.function.Predicate<JsonNode> type, Function<JsonNode, T> read) {
      JsonNode value = node.get(name);
      if (value == null || value.isNull()) {
        return null;
      }
      if (!type.test(value)) {
        throw new AwsError(400, "SerializationException", "member " + name + " has the wrong type: " + value);
      }
      return read.apply(value);
    }
  }

  private static void putString(ObjectNode node, String name, String value) {
    if (value != null) {
      node.put(name, value);
    }
  }

  private static void putBlob(ObjectNode node, String name, SdkBytes value) {
    if (value != null) {
      node.put(name, Base64.getEncoder().encodeToString(value.asByteArray()));
    }
  }

  private static void putStrings(ObjectNode node, String name, List<String> values) {
    if (values != null) {
      ArrayNode array = node.putArray(name);
      values.forEach(array::add);
    }
  }

  /** As AWS writes timestamps in JSON 1.1: epoch seconds with milliseconds, as a number ({@code 1.76993460025E9}). */
  private static void putTimestamp(ObjectNode node, String name, Instant value) {
    if (value != null) {
      node.put(name, value.toEpochMilli() / 1000.0);
    }
  }
}

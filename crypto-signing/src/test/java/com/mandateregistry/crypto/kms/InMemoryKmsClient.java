package com.mandateregistry.crypto.kms;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.CreateKeyRequest;
import software.amazon.awssdk.services.kms.model.CreateKeyResponse;
import software.amazon.awssdk.services.kms.model.DescribeKeyRequest;
import software.amazon.awssdk.services.kms.model.DescribeKeyResponse;
import software.amazon.awssdk.services.kms.model.GetPublicKeyRequest;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.InvalidKeyUsageException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInternalException;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.SignRequest;
import software.amazon.awssdk.services.kms.model.SignResponse;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * TEST-ONLY HELPER: an in-memory stand-in for AWS KMS that implements the SDK's {@link KmsClient}
 * interface with real JCA EC keys. Never use it outside tests.
 *
 * <p>Real behaviour: {@code createKey} (ECC_NIST_P256 or ECC_NIST_P384; SIGN_VERIFY or
 * KEY_AGREEMENT), {@code getPublicKey}, {@code describeKey}, {@code sign}, {@code serviceName} and
 * {@code close}. Every other operation throws {@link UnsupportedOperationException} through the
 * interface's defaults. Keys are addressed by key id or key ARN, and responses name the key ARN,
 * as KMS does.
 *
 * <p>{@code Sign} follows KMS: {@code DIGEST} messages must be exactly the digest length and are
 * signed as they are ({@code NONEwithECDSA}); {@code RAW} messages (the default) are hashed by the
 * key's algorithm and are limited to 4096 bytes; signatures are DER.
 *
 * <p>Fault switches: {@link #failNextCalls(int)} (KmsInternalException), {@link
 * #setAvailable(boolean)} (SdkClientException, as with a network failure), {@link
 * #setReturnWrongKeyId(boolean)} and {@link #setSignWithOtherKey(boolean)}.
 */
public final class InMemoryKmsClient implements KmsClient {

  static final String REGION = "eu-west-1";
  static final String ACCOUNT = "111122223333";
  private static final int RAW_MESSAGE_LIMIT = 4096;

  private record StoredKey(String keyId, String arn, KeySpec spec, KeyUsageType usage, KeyPair pair, Instant created) {}

  private final Map<String, StoredKey> keysById = new ConcurrentHashMap<>();
  private final Clock clock;
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final AtomicBoolean available = new AtomicBoolean(true);
  private final AtomicBoolean wrongKeyId = new AtomicBoolean();
  private final AtomicBoolean signWithOtherKey = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<SignRequest> signRequests = new CopyOnWriteArrayList<>();
  private final KeyPair otherKey = newPair("secp256r1");

  public InMemoryKmsClient(Clock clock) {
    this.clock = clock;
  }

  /** Creates an ECC_NIST_P256 SIGN_VERIFY key and returns its ARN. */
  public String createSigningKey() {
    return createKey(CreateKeyRequest.builder()
            .keySpec(KeySpec.ECC_NIST_P256).keyUsage(KeyUsageType.SIGN_VERIFY).build())
        .keyMetadata().arn();
  }

  /** The next {@code n} calls (of any operation) throw {@link KmsInternalException}. */
  public void failNextCalls(int n) {
    failuresLeft.set(n);
  }

  /** While unavailable, every call throws {@link SdkClientException}, as when KMS cannot be reached. */
  public void setAvailable(boolean available) {
    this.available.set(available);
  }

  /** While set, {@code Sign} responses name another key's ARN. */
  public void setReturnWrongKeyId(boolean wrong) {
    wrongKeyId.set(wrong);
  }

  /** While set, {@code Sign} signs with a key other than the requested one (but names the right ARN). */
  public void setSignWithOtherKey(boolean other) {
    signWithOtherKey.set(other);
  }

  /** Every {@code Sign} request received, in order. */
  public List<SignRequest> signRequests() {
    return List.copyOf(signRequests);
  }

  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public CreateKeyResponse createKey(CreateKeyRequest request) {
    enter();
    KeySpec spec = request.keySpec() == null ? KeySpec.SYMMETRIC_DEFAULT : request.keySpec();
    String curve = switch (spec) {
      case ECC_NIST_P256 -> "secp256r1";
      case ECC_NIST_P384 -> "secp384r1";
      default -> throw new UnsupportedOperationException("test double supports ECC_NIST_P256/P384 only: " + spec);
    };
    KeyUsageType usage = request.keyUsage();
    if (usage != KeyUsageType.SIGN_VERIFY && usage != KeyUsageType.KEY_AGREEMENT) {
      throw validation("KeyUsage " + usage + " is not valid for " + spec);
    }
    String keyId = UUID.randomUUID().toString();
    String arn = "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/" + keyId;
    StoredKey key = new StoredKey(keyId, arn, spec, usage, newPair(curve), clock.instant());
    keysById.put(keyId, key);
    return CreateKeyResponse.builder().keyMetadata(metadata(key)).build();
  }

  @Override
  public DescribeKeyResponse describeKey(DescribeKeyRequest request) {
    enter();
    return DescribeKeyResponse.builder().keyMetadata(metadata(find(request.keyId()))).build();
  }

  @Override
  public GetPublicKeyResponse getPublicKey(GetPublicKeyRequest request) {
    enter();
    StoredKey key = find(request.keyId());
    GetPublicKeyResponse.Builder response = GetPublicKeyResponse.builder()
        .keyId(key.arn())
        .keySpec(key.spec())
        .keyUsage(key.usage())
        .publicKey(SdkBytes.fromByteArray(key.pair().getPublic().getEncoded()));
    if (key.usage() == KeyUsageType.SIGN_VERIFY) {
      response.signingAlgorithms(algorithm(key.spec()));
    }
    return response.build();
  }

  @Override
  public SignResponse sign(SignRequest request) {
    enter();
    signRequests.add(request);
    StoredKey key = find(request.keyId());
    if (key.usage() != KeyUsageType.SIGN_VERIFY) {
      throw InvalidKeyUsageException.builder().message("key " + key.arn() + " is not SIGN_VERIFY").statusCode(400).build();
    }
    if (request.signingAlgorithm() != algorithm(key.spec())) {
      throw InvalidKeyUsageException.builder()
          .message("algorithm " + request.signingAlgorithmAsString() + " is not valid for " + key.spec())
          .statusCode(400).build();
    }
    if (request.message() == null || request.message().asByteArray().length == 0) {
      throw validation("Message must be between 1 and 4096 bytes");
    }
    byte[] message = request.message().asByteArray();
    int digestLength = key.spec() == KeySpec.ECC_NIST_P256 ? 32 : 48;
    String jcaAlgorithm;
    if (request.messageType() == MessageType.DIGEST) {
      if (message.length != digestLength) {
        throw validation("Digest is invalid length for algorithm " + request.signingAlgorithmAsString());
      }
      jcaAlgorithm = "NONEwithECDSA";
    } else if (request.messageType() == null || request.messageType() == MessageType.RAW) {
      if (message.length > RAW_MESSAGE_LIMIT) {
        throw validation("1 validation error detected: Value at 'message' failed to satisfy constraint: "
            + "Member must have length less than or equal to 4096");
      }
      jcaAlgorithm = digestLength == 32 ? "SHA256withECDSA" : "SHA384withECDSA";
    } else {
      throw validation("unknown MessageType " + request.messageTypeAsString());
    }
    KeyPair pair = signWithOtherKey.get() && key.spec() == KeySpec.ECC_NIST_P256 ? otherKey : key.pair();
    byte[] der;
    try {
      Signature signature = Signature.getInstance(jcaAlgorithm);
      signature.initSign(pair.getPrivate());
      signature.update(message);
      der = signature.sign();
    } catch (GeneralSecurityException e) {
      throw KmsInternalException.builder().message("test double: " + e).cause(e).statusCode(500).build();
    }
    String arn = wrongKeyId.get()
        ? "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/" + UUID.randomUUID()
        : key.arn();
    return SignResponse.builder()
        .keyId(arn)
        .signature(SdkBytes.fromByteArray(der))
        .signingAlgorithm(request.signingAlgorithm())
        .build();
  }

  @Override
  public String serviceName() {
    return SERVICE_NAME;
  }

  @Override
  public void close() {
    closed.set(true);
  }

  private void enter() {
    if (closed.get()) {
      throw new IllegalStateException("client is closed");
    }
    if (!available.get()) {
      throw SdkClientException.create("Unable to execute HTTP request: Connect to kms." + REGION
          + ".amazonaws.com:443 failed: Connection refused (test double)");
    }
    if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw KmsInternalException.builder()
          .message("We encountered an internal error. Please try again. (test double)")
          .statusCode(500)
          .awsErrorDetails(AwsErrorDetails.builder().errorCode("KMSInternalException").serviceName("Kms").build())
          .build();
    }
  }

  private StoredKey find(String keyIdOrArn) {
    if (keyIdOrArn == null) {
      throw validation("KeyId is required");
    }
    String keyId = keyIdOrArn;
    if (keyIdOrArn.startsWith("arn:")) {
      String prefix = "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/";
      keyId = keyIdOrArn.startsWith(prefix) ? keyIdOrArn.substring(prefix.length()) : "";
    }
    StoredKey key = keysById.get(keyId);
    if (key == null) {
      throw NotFoundException.builder().message("Key '" + keyIdOrArn + "' does not exist").statusCode(400).build();
    }
    return key;
  }

  private static KeyMetadata metadata(StoredKey key) {
    KeyMetadata.Builder metadata = KeyMetadata.builder()
        .keyId(key.keyId())
        .arn(key.arn())
        .awsAccountId(ACCOUNT)
        .creationDate(key.created())
        .enabled(true)
        .keyState(KeyState.ENABLED)
        .keySpec(key.spec())
        .keyUsage(key.usage());
    if (key.usage() == KeyUsageType.SIGN_VERIFY) {
      metadata.signingAlgorithms(algorithm(key.spec()));
    }
    return metadata.build();
  }

  private static SigningAlgorithmSpec algorithm(KeySpec spec) {
    return spec == KeySpec.ECC_NIST_P256 ? SigningAlgorithmSpec.ECDSA_SHA_256 : SigningAlgorithmSpec.ECDSA_SHA_384;
  }

  private static KmsException validation(String message) {
    return (KmsException) KmsException.builder()
        .message(message)
        .statusCode(400)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ValidationException").errorMessage(message)
            .serviceName("Kms").build())
        .build();
  }

  private static KeyPair newPair(String curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(curve));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}

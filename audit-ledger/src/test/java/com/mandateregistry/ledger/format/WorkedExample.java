package com.mandateregistry.ledger.format;

import com.github.f4b6a3.ulid.Ulid;
import com.mandateregistry.crypto.KeyedSignature;
import com.mandateregistry.crypto.Signer;
import com.mandateregistry.crypto.SigningException;
import com.mandateregistry.ledger.ChainHead;
import com.mandateregistry.ledger.EntrySealer;
import com.mandateregistry.ledger.PendingEntry;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;

/**
 * Test-only tool: the worked example of docs/ledger-format.md. It defines the example's two events,
 * key and export file (used by {@code LedgerFormatDocTest} and {@code LedgerEntryCodecTest}), and
 * its {@code main} prints every value the doc quotes and writes the files its commands use.
 *
 * <p>Everything is deterministic, so running it again gives byte-identical files: the throwaway
 * private key is derived from {@link #KEY_SEED}, and signatures use RFC 6979 nonces (any ECDSA
 * signature verifies the same way; the service's signatures are randomised). The key signs nothing
 * real.
 *
 * <pre>
 * java -cp … com.mandateregistry.ledger.format.WorkedExample OUT_DIR
 * </pre>
 *
 * writes {@code pub.pem, key.pem, keys.json, entry1.bin, sig1.der, entry2.bin, sig2.der,
 * trail.jsonl} to OUT_DIR. After changing anything here, copy {@code trail.jsonl} and {@code
 * pub.pem} to {@code src/test/resources/ledger/worked-example.jsonl} and {@code
 * worked-example-pub.pem}, and redo the worked example of the doc (LedgerFormatDocTest says where
 * they differ).
 */
public final class WorkedExample {

  /** The private scalar is SHA-256 of these UTF-8 bytes, reduced into [1, n-1]. */
  public static final String KEY_SEED =
      "mandate-registry/ledger-format worked example key; it signs nothing real";

  public static final String TENANT_ID = "tnt_01JKQDYM008S0Y4K7M9P3W5X6Z";
  public static final Instant KEY_NOT_BEFORE = Instant.parse("2025-01-01T00:00:00Z");
  public static final Instant EXPORTED_AT = Instant.parse("2025-03-02T00:00:00Z");

  /** The Axon message identifiers of the two events (their event_id is derived from them). */
  public static final String MESSAGE_ID_1 = "6f1c3a52-8d0e-4b7a-9c21-5e4f7a9b0c13";

  public static final String MESSAGE_ID_2 = "b2d94e07-31a6-4f58-8e0c-7a1d6c3f9e24";

  public static final Instant TIME_1 = Instant.parse("2025-03-01T09:30:00.120Z");
  public static final Instant TIME_2 = Instant.parse("2025-03-01T09:31:12.005Z");

  private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");

  private WorkedExample() {}

  /**
   * {@code evt_} + a ULID whose 48-bit time part is {@code timestamp} in milliseconds and whose
   * 80-bit random part is the first 10 bytes of SHA-256 of the UTF-8 message identifier.
   */
  public static String eventId(String messageIdentifier, Instant timestamp) {
    byte[] digest = LedgerFormat.sha256(messageIdentifier.getBytes(StandardCharsets.UTF_8));
    return "evt_" + new Ulid(timestamp.toEpochMilli(), Arrays.copyOf(digest, 10));
  }

  /** The two events, as the service would hand them to the ledger. */
  public static List<PendingEntry> events() {
    PendingEntry created = new PendingEntry(
        eventId(MESSAGE_ID_1, TIME_1),
        TENANT_ID,
        "mdt_01JN8GN2HPF5G7H9J1K3M5N7P9",
        "MANDATE_CREATED",
        TIME_1,
        "{\"type\":\"api_key\",\"id\":\"key_01JKQDYNEW6E8G0J2K4N6Q8S0V\"}",
        "{\"principal\":{\"type\":\"natural_person\",\"subject_id\":\"monco:user:max\"},"
            + "\"delegate\":{\"type\":\"ai_agent\",\"subject_id\":\"monco:agent:validate-agent-v2\"},"
            + "\"scope\":{\"actions\":[\"construction.validation.*\"],"
            + "\"resources\":[\"monco:project:proj_ABC123/**\"],\"effect\":\"ALLOW\"},"
            + "\"constraints\":{\"max_amount\":5000},"
            + "\"metadata\":{\"note\":\"Zone EG \\u2013 Gr\\u00f6\\u00dfe 42\"},"
            + "\"expires_at\":\"2030-01-01T00:00:00Z\",\"created_at\":\"2025-03-01T09:30:00.120Z\","
            + "\"correlation_id\":\"0b9d2c58-4f7e-4a61-b1e3-6f2a9c8d7e15\"}");
    PendingEntry denied = new PendingEntry(
        eventId(MESSAGE_ID_2, TIME_2),
        TENANT_ID,
        null,
        "VERIFICATION_DENIED",
        TIME_2,
        "{\"type\":\"api_key\",\"id\":\"key_01JKWSKS80T4V6W8Y0Z2A4C6E8\"}",
        "{\"delegate\":{\"type\":\"ai_agent\",\"subject_id\":\"monco:agent:validate-agent-v2\"},"
            + "\"action\":\"construction.payment.approve\","
            + "\"resource\":\"monco:project:proj_ABC123/invoice-17\","
            + "\"context\":{\"amount\":1.50,\"currency\":\"EUR\"},"
            + "\"decision\":\"DENY\",\"reason_codes\":[\"NO_MATCHING_MANDATE\"]}");
    return List.of(created, denied);
  }

  /** The throwaway private scalar d. */
  static BigInteger privateScalar() {
    BigInteger n = P256.getN();
    BigInteger h = new BigInteger(1, LedgerFormat.sha256(KEY_SEED.getBytes(StandardCharsets.UTF_8)));
    return h.mod(n.subtract(BigInteger.ONE)).add(BigInteger.ONE);
  }

  public static ECPublicKey publicKey() {
    var q = P256.getG().multiply(privateScalar()).normalize();
    try {
      return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
          new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()), params()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static ECPrivateKey privateKey() {
    try {
      return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(privateScalar(), params()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ECParameterSpec params() throws GeneralSecurityException {
    AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
    parameters.init(new ECGenParameterSpec("secp256r1"));
    return parameters.getParameterSpec(ECParameterSpec.class);
  }

  /** The example key as published: in service from {@link #KEY_NOT_BEFORE}, not retired. */
  public static LedgerKey key() {
    return LedgerKey.of(publicKey(), KEY_NOT_BEFORE, null);
  }

  /** ECDSA P-256 / SHA-256 with RFC 6979 nonces, so that the example's signatures never change. */
  public static Signer signer() {
    String keyId = key().keyId();
    ECPrivateKeyParameters privateKey = new ECPrivateKeyParameters(privateScalar(),
        new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(), P256.getH()));
    return new Signer() {
      @Override
      public KeyedSignature sign(byte[] data) throws SigningException {
        ECDSASigner ecdsa = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        ecdsa.init(true, privateKey);
        BigInteger[] rs = ecdsa.generateSignature(LedgerFormat.sha256(data));
        try {
          return new KeyedSignature(keyId, LedgerFormat.SIGNING_ALGORITHM,
              StandardDSAEncoding.INSTANCE.encode(P256.getN(), rs[0], rs[1]));
        } catch (IOException e) {
          throw new SigningException("cannot encode the signature", e);
        }
      }

      @Override
      public String keyId() {
        return keyId;
      }
    };
  }

  /** The two events sealed into a chain: sequence 1 and 2. */
  public static List<LedgerEntry> entries() {
    Signer signer = signer();
    List<LedgerEntry> entries = new ArrayList<>();
    ChainHead head = ChainHead.empty(TENANT_ID);
    try {
      for (PendingEntry event : events()) {
        LedgerEntry entry = EntrySealer.seal(head, event, signer);
        entries.add(entry);
        head = EntrySealer.headAfter(entry);
      }
    } catch (SigningException e) {
      throw new IllegalStateException(e);
    }
    return entries;
  }

  /** The export file: header line, then the two entries. */
  public static List<String> trailLines() {
    List<String> lines = new ArrayList<>();
    lines.add(new ExportHeader(TENANT_ID, EXPORTED_AT, "database", LedgerKeySet.of(List.of(key()))).toJsonLine());
    entries().forEach(e -> lines.add(LedgerJson.toJsonLine(e)));
    return lines;
  }

  /** The public key as PEM (SubjectPublicKeyInfo), as {@code openssl} reads it. */
  public static String publicKeyPem() {
    return pem("PUBLIC KEY", publicKey().getEncoded());
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "worked-example");
    Files.createDirectories(dir);

    Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", privateKey().getEncoded()));
    Files.writeString(dir.resolve("pub.pem"), publicKeyPem());
    Files.writeString(dir.resolve("keys.json"),
        LedgerKeySet.of(List.of(key())).toJwkSet().toString() + "\n");
    System.out.println("PRIVATE_SCALAR_HEX " + privateScalar().toString(16));
    System.out.print(publicKeyPem());
    LedgerKey key = key();
    System.out.println("JWK " + key.toJwkJson());
    Map<String, Object> jwk = key.toJwk();
    System.out.println("THUMBPRINT_INPUT {\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + jwk.get("x")
        + "\",\"y\":\"" + jwk.get("y") + "\"}");
    System.out.println("KID " + key.keyId());

    List<LedgerEntry> entries = entries();
    List<String> messageIds = List.of(MESSAGE_ID_1, MESSAGE_ID_2);
    for (int i = 0; i < entries.size(); i++) {
      LedgerEntry e = entries.get(i);
      int n = i + 1;
      byte[] bytes = LedgerEntryCodec.encode(e.unsigned());
      byte[] der = LedgerFormat.unbase64Url(e.kmsSignature());
      Files.write(dir.resolve("entry" + n + ".bin"), bytes);
      Files.write(dir.resolve("sig" + n + ".der"), der);
      System.out.println("ENTRY" + n + "_MESSAGE_ID " + messageIds.get(i));
      System.out.println("ENTRY" + n + "_EVENT_ID " + e.eventId());
      System.out.println("ENTRY" + n + "_JCS " + LedgerEntryCodec.canonicalJson(e.unsigned()));
      System.out.println("ENTRY" + n + "_BYTES " + bytes.length);
      System.out.println("ENTRY" + n + "_HASH " + e.eventHash());
      System.out.println("ENTRY" + n + "_SIG_B64URL " + e.kmsSignature());
      System.out.println("ENTRY" + n + "_SIG_HEX " + HexFormat.of().formatHex(der));
    }
    List<String> trail = trailLines();
    Files.write(dir.resolve("trail.jsonl"), trail, StandardCharsets.UTF_8);
    System.out.println("TRAIL");
    trail.forEach(System.out::println);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}

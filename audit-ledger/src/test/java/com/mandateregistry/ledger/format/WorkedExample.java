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
import java.util.HashMap;
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
 *
 * <p>Section 13 of the doc continues the example with a batch signed once (format v2, {@value
 * LedgerFormat#SIGNING_ALGORITHM_MERKLE}): {@link #batchEvents()}, entries 3 and 4 of the example
 * tenant with one event of {@link #TENANT_ID_2} between them. {@code main} also writes {@code
 * entry3.bin, entry4.bin, batch.jsonl} (the example tenant's two batch entries as export lines),
 * {@code trail4.jsonl} (its export of entries 1 to 4, a copy of {@code
 * src/test/resources/ledger/worked-example-batch.jsonl}), {@code statement.bin} and {@code
 * batch-sig.der}.
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

  /** The second tenant of section 13, whose first event is appended in the same batch. */
  public static final String TENANT_ID_2 = "tnt_01JKQE0B5X7Z9A1C3E5G7J9K1M";

  /**
   * The Axon message identifiers of the batch's events, in append order: entry 3 of {@link
   * #TENANT_ID}, entry 1 of {@link #TENANT_ID_2}, entry 4 of {@link #TENANT_ID}.
   */
  public static final String MESSAGE_ID_3 = "3e8a5d21-94c7-4f0b-a6d2-1c9e8b7f5a30";

  public static final String MESSAGE_ID_TENANT_2 = "c47f1e98-2a6b-4d3c-9e85-0b1f6a2d7c49";
  public static final String MESSAGE_ID_4 = "8b2c6f40-d153-4e97-b0a8-5f3e9c1d2a76";

  public static final Instant TIME_3 = Instant.parse("2025-03-01T09:32:04.318Z");
  public static final Instant TIME_TENANT_2 = Instant.parse("2025-03-01T09:32:04.560Z");
  public static final Instant TIME_4 = Instant.parse("2025-03-01T09:32:05.871Z");

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

  /**
   * The three events of section 13's batch, in append order: a VERIFICATION_ALLOWED of the example
   * tenant (its entry 3), the TENANT_REGISTERED of {@link #TENANT_ID_2} (its entry 1), and a
   * MANDATE_SUSPENDED of the example tenant (its entry 4).
   */
  public static List<PendingEntry> batchEvents() {
    PendingEntry allowed = new PendingEntry(
        eventId(MESSAGE_ID_3, TIME_3),
        TENANT_ID,
        "mdt_01JN8GN2HPF5G7H9J1K3M5N7P9",
        "VERIFICATION_ALLOWED",
        TIME_3,
        "{\"type\":\"api_key\",\"id\":\"key_01JKWSKS80T4V6W8Y0Z2A4C6E8\"}",
        "{\"delegate\":{\"type\":\"ai_agent\",\"subject_id\":\"monco:agent:validate-agent-v2\"},"
            + "\"action\":\"construction.validation.submit\","
            + "\"resource\":\"monco:project:proj_ABC123/drawing-42\","
            + "\"context\":{\"amount\":1200,\"currency\":\"EUR\"},"
            + "\"decision\":\"ALLOW\",\"reason_codes\":[],"
            + "\"constraints_remaining\":{\"valid_until\":\"2030-01-01T00:00:00Z\"}}");
    PendingEntry registered = new PendingEntry(
        eventId(MESSAGE_ID_TENANT_2, TIME_TENANT_2),
        TENANT_ID_2,
        null,
        "TENANT_REGISTERED",
        TIME_TENANT_2,
        "{\"type\":\"system\",\"id\":\"tenant-onboarding\"}",
        "{\"company_name\":\"Nordbau Projekt GmbH\",\"plan\":\"free\","
            + "\"registered_at\":\"2025-03-01T09:32:04.560Z\"}");
    PendingEntry suspended = new PendingEntry(
        eventId(MESSAGE_ID_4, TIME_4),
        TENANT_ID,
        "mdt_01JN8GN2HPF5G7H9J1K3M5N7P9",
        "MANDATE_SUSPENDED",
        TIME_4,
        "{\"type\":\"api_key\",\"id\":\"key_01JKQDYNEW6E8G0J2K4N6Q8S0V\"}",
        "{\"reason\":\"invoice-17 under review\",\"suspended_at\":\"2025-03-01T09:32:05.871Z\","
            + "\"correlation_id\":\"5d3e1a7c-9b24-4f08-8c61-2e7f0a9b4d53\"}");
    return List.of(allowed, registered, suspended);
  }

  /**
   * The batch of {@link #batchEvents()} prepared for one signature (ES256-MERKLE): each event placed
   * after its tenant's head ({@link #entries()} for the example tenant, the genesis for the other),
   * with the Merkle tree, the statement and the proofs.
   */
  public static EntrySealer.Batch batch() {
    List<LedgerEntry> v1 = entries();
    Map<String, ChainHead> heads = new HashMap<>();
    heads.put(TENANT_ID, EntrySealer.headAfter(v1.get(v1.size() - 1)));
    heads.put(TENANT_ID_2, ChainHead.empty(TENANT_ID_2));
    String keyId = key().keyId();
    List<EntrySealer.Prepared> prepared = new ArrayList<>();
    for (PendingEntry event : batchEvents()) {
      EntrySealer.Prepared entry = EntrySealer.prepare(heads.get(event.tenantId()), event, keyId);
      prepared.add(entry);
      heads.put(event.tenantId(), entry.head());
    }
    return EntrySealer.Batch.of(prepared);
  }

  /**
   * The batch sealed: the three entries in append order, all with the one signature over the
   * batch's statement (RFC 6979, like the others) and each with its proof.
   */
  public static List<LedgerEntry> batchEntries() {
    EntrySealer.Batch batch = batch();
    try {
      return EntrySealer.sealBatch(batch, signer().sign(batch.statement()));
    } catch (SigningException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The example tenant's entries of the batch (entries 3 and 4), as lines of its export. */
  public static List<String> batchLines() {
    return batchEntries().stream()
        .filter(e -> e.tenantId().equals(TENANT_ID))
        .map(LedgerJson::toJsonLine)
        .toList();
  }

  /** The example tenant's export after the batch: the header of {@link #trailLines()}, entries 1 to 4. */
  public static List<String> batchTrailLines() {
    List<String> lines = new ArrayList<>(trailLines());
    lines.addAll(batchLines());
    return lines;
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

    // section 13: the batch
    EntrySealer.Batch batch = batch();
    List<LedgerEntry> sealed = batchEntries();
    for (LedgerEntry e : sealed) {
      String name = (e.tenantId().equals(TENANT_ID) ? "ENTRY" : "TENANT2_ENTRY") + e.sequence();
      byte[] bytes = LedgerEntryCodec.encode(e.unsigned());
      if (e.tenantId().equals(TENANT_ID)) {
        Files.write(dir.resolve("entry" + e.sequence() + ".bin"), bytes);
      }
      System.out.println(name + "_EVENT_ID " + e.eventId());
      System.out.println(name + "_JCS " + LedgerEntryCodec.canonicalJson(e.unsigned()));
      System.out.println(name + "_HASH " + e.eventHash());
      System.out.println(name + "_LEAF_HASH " + LedgerFormat.hex(MerkleTree.leafHash(LedgerFormat.unhex(e.eventHash()))));
      System.out.println(name + "_PROOF " + e.merkleProof().toObject());
      System.out.println(name + "_LINE " + LedgerJson.toJsonLine(e));
    }
    List<byte[]> leaves = sealed.stream().map(e -> LedgerFormat.unhex(e.eventHash())).toList();
    System.out.println("BATCH_ROOT " + LedgerFormat.hex(MerkleTree.root(leaves)));
    System.out.println("BATCH_STATEMENT_HEX " + HexFormat.of().formatHex(batch.statement()));
    System.out.println("BATCH_SIG_B64URL " + sealed.get(0).kmsSignature());
    byte[] batchDer = LedgerFormat.unbase64Url(sealed.get(0).kmsSignature());
    System.out.println("BATCH_SIG_HEX " + HexFormat.of().formatHex(batchDer));
    Files.write(dir.resolve("statement.bin"), batch.statement());
    Files.write(dir.resolve("batch-sig.der"), batchDer);
    Files.write(dir.resolve("batch.jsonl"), batchLines(), StandardCharsets.UTF_8);
    List<String> trail4 = batchTrailLines();
    Files.write(dir.resolve("trail4.jsonl"), trail4, StandardCharsets.UTF_8);
    System.out.println("TRAIL4");
    trail4.forEach(System.out::println);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}

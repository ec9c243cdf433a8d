package com.mandateregistry.ledger.format;

import com.mandateregistry.ledger.ChainHead;
import com.mandateregistry.ledger.EntrySealer;
import com.mandateregistry.ledger.PendingEntry;
import com.mandateregistry.ledger.testsupport.TestSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Test-only tool: prints the worked example of docs/ledger-format.md and writes its files (pub.pem,
 * key.pem, entry1.bin, sig1.der, entry2.bin, sig2.der, trail.jsonl) to a directory, so that the
 * openssl / sha256sum commands in the doc can be run against them.
 *
 * <pre>
 * java -cp … com.mandateregistry.ledger.format.WorkedExample OUT_DIR [PKCS8_HEX SPKI_HEX]
 * </pre>
 */
public final class WorkedExample {

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "worked-example");
    Files.createDirectories(dir);
    TestSigner signer = args.length >= 3
        ? TestSigner.fromDer(HexFormat.of().parseHex(args[1]), HexFormat.of().parseHex(args[2]))
        : TestSigner.generate();

    String privatePem = pem("PRIVATE KEY", signer.privateKey().getEncoded());
    String publicPem = pem("PUBLIC KEY", signer.publicKey().getEncoded());
    Files.writeString(dir.resolve("key.pem"), privatePem);
    Files.writeString(dir.resolve("pub.pem"), publicPem);
    System.out.println("PKCS8_HEX " + HexFormat.of().formatHex(signer.privateKey().getEncoded()));
    System.out.println("SPKI_HEX " + HexFormat.of().formatHex(signer.publicKey().getEncoded()));
    System.out.println(privatePem);
    System.out.println(publicPem);
    LedgerKey key = LedgerKey.of(signer.publicKey(), Instant.parse("2025-01-01T00:00:00Z"), null);
    System.out.println("JWK " + key.toJwkJson());
    var jwk = key.toJwk();
    String thumbprintInput = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + jwk.get("x") + "\",\"y\":\"" + jwk.get("y") + "\"}";
    System.out.println("THUMBPRINT_INPUT " + thumbprintInput);
    System.out.println("KID " + key.keyId());

    PendingEntry first = new PendingEntry("evt_01JNB6W3QJ7Y9T3MZ1X4V5C6D7", "tnt_01JNB6TQ2R8S0Y4K7M9P3W5X6Z",
        "mdt_01JNB6VAD0F5G7H9J1K3M5N7P9", "MANDATE_CREATED", Instant.parse("2025-03-01T09:30:00.120Z"),
        "{\"type\":\"api_key\",\"id\":\"key_01JNB6TZ4C6E8G0J2L4N6Q8S0U\"}",
        "{\"scope\":{\"actions\":[\"construction.validation.approve\"]},\"delegate\":\"monco:agent:validate-agent-v2\",\"note\":\"Zone EG – Größe 42\"}");
    PendingEntry second = new PendingEntry("evt_01JNB6X0A2C4E6G8J0L2N4Q6S8", "tnt_01JNB6TQ2R8S0Y4K7M9P3W5X6Z",
        null, "VERIFICATION_DENIED", Instant.parse("2025-03-01T09:31:12.005Z"),
        "{\"type\":\"service\",\"id\":\"svc_gate\"}", "{\"reason_codes\":[\"NO_MANDATE\"],\"amount\":1.50}");

    ChainHead head = ChainHead.empty(first.tenantId());
    LedgerEntry e1 = EntrySealer.seal(head, first, signer);
    LedgerEntry e2 = EntrySealer.seal(EntrySealer.headAfter(e1), second, signer);
    int n = 1;
    for (LedgerEntry e : List.of(e1, e2)) {
      byte[] bytes = LedgerEntryCodec.encode(e.unsigned());
      Files.write(dir.resolve("entry" + n + ".bin"), bytes);
      byte[] der = LedgerFormat.unbase64Url(e.kmsSignature());
      Files.write(dir.resolve("sig" + n + ".der"), der);
      System.out.println("ENTRY" + n + "_JCS " + LedgerEntryCodec.canonicalJson(e.unsigned()));
      System.out.println("ENTRY" + n + "_BYTES " + bytes.length);
      System.out.println("ENTRY" + n + "_HASH " + e.eventHash());
      System.out.println("ENTRY" + n + "_SIG_B64URL " + e.kmsSignature());
      System.out.println("ENTRY" + n + "_SIG_HEX " + HexFormat.of().formatHex(der));
      System.out.println("ENTRY" + n + "_LINE " + LedgerJson.toJsonLine(e));
      n++;
    }
    List<String> trail = List.of(
        new ExportHeader(first.tenantId(), Instant.parse("2025-03-02T00:00:00Z"), "database",
            LedgerKeySet.of(List.of(key))).toJsonLine(),
        LedgerJson.toJsonLine(e1), LedgerJson.toJsonLine(e2));
    Files.write(dir.resolve("trail.jsonl"), trail, StandardCharsets.UTF_8);
    System.out.println("TRAIL");
    trail.forEach(System.out::println);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}

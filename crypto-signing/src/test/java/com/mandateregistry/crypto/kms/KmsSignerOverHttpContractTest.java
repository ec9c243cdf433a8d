package com.mandateregistry.crypto.kms;

import static org.assertj.core.api.Assertions.assertThat;

import com.mandateregistry.crypto.SignerContractTest;
import com.mandateregistry.crypto.SigningKeys;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The signer contract for {@link KmsSigningKeys} as production builds it (the SDK's {@code
 * KmsClient} with the default credentials chain and an endpoint override), over HTTP against
 * {@link KmsHttpFake}.
 */
class KmsSignerOverHttpContractTest extends SignerContractTest {

  private static InMemoryKmsClient kms;
  private static KmsHttpFake fake;
  private static KmsHttpFake.CredentialsOverride credentials;

  private final List<KmsSigningKeys> opened = new ArrayList<>();

  @BeforeAll
  static void startFake() {
    credentials = KmsHttpFake.useDummyCredentials();
    kms = new InMemoryKmsClient(Clock.systemUTC());
    fake = KmsHttpFake.start(kms);
  }

  @AfterAll
  static void stopFake() {
    fake.close();
    credentials.close();
    // every signature of the contract went over the wire as a 32-byte DIGEST, all answered
    assertThat(fake.requests("Sign")).isNotEmpty().allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body().get("MessageType").asText()).isEqualTo("DIGEST");
    });
  }

  @Override
  protected SigningKeys newSigningKeys() throws Exception {
    KmsSigningKeys keys = KmsSigningKeys.connect(kms.createSigningKey(), "eu-west-1", fake.uri());
    opened.add(keys);
    return keys;
  }

  @AfterEach
  void closeKeys() {
    opened.forEach(KmsSigningKeys::close);
  }
}

package com.mandateregistry.crypto.kms;

import com.mandateregistry.crypto.SignerContractTest;
import com.mandateregistry.crypto.SigningKeys;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.CreateKeyRequest;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/**
 * The signer contract against KMS in LocalStack. Needs a Docker engine: where there is none, JUnit
 * reports every test of this class as skipped ({@code disabledWithoutDocker}), it does not fail.
 */
@Testcontainers(disabledWithoutDocker = true)
class KmsSignerLocalStackTest extends SignerContractTest {

  @Container
  static final LocalStackContainer LOCALSTACK =
      new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4"))
          .withServices(LocalStackContainer.Service.KMS);

  private static KmsClient kms;

  @BeforeAll
  static void connect() {
    kms = KmsClient.builder()
        .endpointOverride(LOCALSTACK.getEndpoint())
        .region(Region.of(LOCALSTACK.getRegion()))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey())))
        .build();
  }

  @AfterAll
  static void disconnect() {
    if (kms != null) {
      kms.close();
    }
  }

  @Override
  protected SigningKeys newSigningKeys() throws Exception {
    String arn = kms.createKey(CreateKeyRequest.builder()
            .keySpec(KeySpec.ECC_NIST_P256)
            .keyUsage(KeyUsageType.SIGN_VERIFY)
            .description("mandate-registry KmsSignerLocalStackTest")
            .build())
        .keyMetadata().arn();
    KmsSigner signer = KmsSigner.create(kms, arn);
    return SigningKeys.of(signer, List.of(signer.publicKeyInfo()));
  }
}

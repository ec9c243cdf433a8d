package com.mandateregistry.crypto.sdjwt;

import com.mandateregistry.crypto.KeyedSignature;
import com.mandateregistry.crypto.Signatures;
import com.mandateregistry.crypto.Signer;
import com.mandateregistry.crypto.SigningException;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import java.security.SignatureException;
import java.util.Objects;
import java.util.Set;

/**
 * A Nimbus {@link JWSSigner} that signs through our {@link Signer} port (local key or AWS KMS):
 * ES256 only, the port's DER signature transcoded to the 64-byte JWS {@code R || S} form.
 *
 * <p>The key id is taken once, when this signer is made ({@link #keyId()}); a signature by any
 * other key (for example after a rotation in between) is refused, so that a JWS header's {@code
 * kid} built from {@link #keyId()} always names the key that really signed.
 */
public final class SignerJwsSigner implements JWSSigner {

  private final Signer signer;
  private final String keyId;
  private final JCAContext jca = new JCAContext();

  public SignerJwsSigner(Signer signer) {
    this.signer = Objects.requireNonNull(signer, "signer");
    this.keyId = Objects.requireNonNull(signer.keyId(), "keyId");
  }

  /** The id of the key every signature of this signer is made with. */
  public String keyId() {
    return keyId;
  }

  /**
   * Signs the JWS signing input ({@code ASCII(BASE64URL(header) || '.' || BASE64URL(payload))}).
   *
   * @throws JOSEException if the header's algorithm is not ES256, or the signer fails; in that case
   *     the cause is the {@link SigningException}
   */
  @Override
  public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
    if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
      throw new JOSEException("only ES256 is supported, got " + header.getAlgorithm());
    }
    try {
      KeyedSignature signature = signer.sign(signingInput);
      if (!keyId.equals(signature.keyId())) {
        throw new SigningException(
            "the signer returned a signature by key " + signature.keyId() + ", want " + keyId);
      }
      if (!Signatures.ES256.equals(signature.algorithm())) {
        throw new SigningException("the signer returned a " + signature.algorithm() + " signature, want ES256");
      }
      return Base64URL.encode(Signatures.derToConcat(signature.der(), Signatures.ES256_CONCAT_LENGTH));
    } catch (SigningException e) {
      throw new JOSEException(e.getMessage(), e);
    } catch (SignatureException e) {
      throw new JOSEException(
          e.getMessage(), new SigningException("the signer returned a malformed signature", e));
    }
  }

  @Override
  public Set<JWSAlgorithm> supportedJWSAlgorithms() {
    return Set.of(JWSAlgorithm.ES256);
  }

  @Override
  public JCAContext getJCAContext() {
    return jca;
  }
}

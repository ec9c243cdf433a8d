package com.mandateregistry.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SignatureException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SignaturesTest {

  @Test
  void sha256_knownAnswer() {
    // printf 'abc' | sha256sum
    assertThat(HexFormat.of().formatHex(Signatures.sha256("abc".getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void derToConcat_padsShortIntegers_andConcatToDerRestoresTheDer() throws Exception {
    // SEQUENCE { INTEGER 0x01, INTEGER 0x00ff } -> r = 1, s = 255 (s needs a leading 0x00 in DER)
    byte[] der = HexFormat.of().parseHex("3007020101020200ff");

    byte[] concat = Signatures.derToConcat(der, 64);

    byte[] expected = new byte[64];
    expected[31] = 0x01;
    expected[63] = (byte) 0xff;
    assertThat(concat).isEqualTo(expected);
    assertThat(Signatures.concatToDer(concat)).isEqualTo(der);
  }

  @Test
  void derToConcat_rejectsGarbage() {
    assertThatThrownBy(() -> Signatures.derToConcat(new byte[] {1, 2, 3}))
        .isInstanceOf(SignatureException.class);
  }

  @Test
  void concatToDer_rejectsOddOrEmptyInput() {
    assertThatThrownBy(() -> Signatures.concatToDer(new byte[63])).isInstanceOf(SignatureException.class);
    assertThatThrownBy(() -> Signatures.concatToDer(new byte[0])).isInstanceOf(SignatureException.class);
  }
}

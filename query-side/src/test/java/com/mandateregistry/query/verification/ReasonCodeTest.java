package com.mandateregistry.query.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reason codes are public API: the constants, their meanings and the documentation agree. */
class ReasonCodeTest {

  private static List<String> constants() {
    return Arrays.stream(ReasonCode.class.getFields())
        .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
        .map(ReasonCodeTest::value)
        .toList();
  }

  private static String value(Field field) {
    try {
      return (String) field.get(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void everyConstant_isItsOwnName_andHasAMeaning() {
    assertThat(constants())
        .containsExactlyInAnyOrder(
            "NO_MATCHING_MANDATE",
            "EXPLICIT_DENY",
            "APPROVAL_REQUIRED",
            "MFA_REQUIRED",
            "ESCALATION_REQUIRED",
            "MANDATE_SUSPENDED",
            "MANDATE_REVOKED",
            "MANDATE_EXPIRED",
            "NOT_YET_VALID",
            "OUTSIDE_TIME_WINDOW",
            "RATE_LIMIT_EXCEEDED",
            "AMOUNT_EXCEEDED",
            "BUDGET_EXHAUSTED",
            "AMOUNT_REQUIRED",
            "CURRENCY_MISMATCH");
    assertThat(ReasonCode.MEANINGS.keySet()).containsExactlyInAnyOrderElementsOf(constants());
  }

  @Test
  void everyUsageRefusal_hasAReasonCode() {
    for (UsageRefusal refusal : UsageRefusal.values()) {
      assertThat(refusal.reasonCode()).isEqualTo(refusal.name()).isIn(constants());
    }
  }

  @Test
  void docs_listEveryReasonCode_inTheReasonCodesSection() throws Exception {
    String docs = Files.readString(Path.of("..", "docs", "verification.md"));
    int start = docs.indexOf("## Reason codes");
    assertThat(start).as("a \"## Reason codes\" section").isNotNegative();
    int end = docs.indexOf("\n## ", start + 1);
    String section = end < 0 ? docs.substring(start) : docs.substring(start, end);
    for (String code : constants()) {
      assertThat(section).contains("`" + code + "`");
    }
  }
}

package com.mandateregistry.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorDetailTest {

  /** {@code depth} lists around 1. */
  private static Object nested(int depth) {
    Object value = 1;
    for (int i = 0; i < depth; i++) {
      value = List.of(value);
    }
    return value;
  }

  private static int depthOf(Object value) {
    int depth = 0;
    while (value instanceof List<?> list) {
      value = list.get(0);
      depth++;
    }
    return value.equals("…") ? -depth : depth;
  }

  @Test
  void aValueNestedUpToTheEchoDepth_isEchoedWhole() {
    ErrorDetail d = new ErrorDetail(nested(ErrorDetail.MAX_ECHO_DEPTH), "bad", "context.amount", "body");
    assertThat(depthOf(d.value())).isEqualTo(ErrorDetail.MAX_ECHO_DEPTH);
  }

  @Test
  void aValueNestedDeeper_isCutAtTheEchoDepth() {
    ErrorDetail d = new ErrorDetail(nested(998), "bad", "context.amount", "body");
    // 16 levels of lists kept, the 17th replaced by "…"
    assertThat(depthOf(d.value())).isEqualTo(-ErrorDetail.MAX_ECHO_DEPTH);
  }

  @Test
  void mapsAreCutToo() {
    Object deep = Map.of("a", nested(40));
    ErrorDetail d = new ErrorDetail(Map.of("z", 1, "deep", deep), "bad", "context", "body");
    @SuppressWarnings("unchecked")
    Map<String, Object> echoed = (Map<String, Object>) d.value();
    assertThat(echoed).containsEntry("z", 1);
    @SuppressWarnings("unchecked")
    Object a = ((Map<String, Object>) echoed.get("deep")).get("a");
    assertThat(depthOf(a)).isEqualTo(-(ErrorDetail.MAX_ECHO_DEPTH - 2));
  }

  @Test
  void longStrings_areExcerpted_atEveryLevel_keysIncluded() {
    String longText = "x".repeat(50_000);
    assertThat(new ErrorDetail(longText, "bad", "x", "body").value()).isEqualTo("x".repeat(32) + "…");
    Object echoed = new ErrorDetail(Map.of("k", List.of(longText), longText, 1), "bad", "x", "body").value();
    assertThat(echoed).isEqualTo(Map.of("k", List.of("x".repeat(32) + "…"), "x".repeat(32) + "…", 1));
  }

  @Test
  void aLargeValue_isCutAfter32Values() {
    List<Integer> thousand = java.util.stream.IntStream.range(0, 1000).boxed().toList();
    @SuppressWarnings("unchecked")
    List<Object> echoed = (List<Object>) new ErrorDetail(thousand, "bad", "x", "body").value();
    // the list itself is one value, 31 of its members the others, then "…"
    assertThat(echoed).hasSize(32).endsWith("…");
    assertThat(echoed.subList(0, 31)).isEqualTo(thousand.subList(0, 31));
  }

  @Test
  void nullsCountToo() {
    List<Object> nulls = new java.util.ArrayList<>(java.util.Collections.nCopies(100_000, null));
    assertThat((List<?>) new ErrorDetail(nulls, "bad", "x", "body").value()).hasSize(32);
    Map<String, Object> members = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 100_000; i++) {
      members.put("x_" + i, null);
    }
    // the object is one value, 31 members the others, then the marker
    @SuppressWarnings("unchecked")
    Map<Object, Object> echoed = (Map<Object, Object>) new ErrorDetail(members, "bad", "x", "body").value();
    assertThat(echoed).hasSize(32).containsKey("…");
  }

  @Test
  void keysThatAgreeInTheirExcerpt_showAsOne_withTheFirstValue() {
    Map<String, Object> members = new java.util.LinkedHashMap<>();
    members.put("k".repeat(70) + "a", 1);
    members.put("k".repeat(70) + "b", 2);
    assertThat(new ErrorDetail(members, "bad", "x", "body").value()).isEqualTo(Map.of("k".repeat(32) + "…", 1));
  }

  @Test
  void otherValues_areEchoedAsTheirText_bounded() {
    assertThat(new ErrorDetail(new StringBuilder("y".repeat(1000)), "bad", "x", "body").value())
        .isEqualTo("y".repeat(32) + "…");
    assertThat(new ErrorDetail(Map.of(7, "v"), "bad", "x", "body").value()).isEqualTo(Map.of("7", "v"));
    assertThat(new ErrorDetail(true, "bad", "x", "body").value()).isEqualTo(true);
  }

  @Test
  void unpairedSurrogatesInsideAValue_becomeReplacementCharacters() {
    Object echoed = new ErrorDetail(List.of("a\uD800b"), "bad", "x", "body").value();
    assertThat(echoed).isEqualTo(List.of("a\uFFFDb"));
  }

  @Test
  void scalarsAndShortValues_areUnchanged() {
    assertThat(new ErrorDetail(42, "bad", "x", "body").value()).isEqualTo(42);
    assertThat(new ErrorDetail(null, "bad", "x", "body").value()).isNull();
    assertThat(new ErrorDetail(List.of(1, 2), "bad", "x", "body").value()).isEqualTo(List.of(1, 2));
  }
}

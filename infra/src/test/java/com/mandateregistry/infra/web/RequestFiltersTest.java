package com.mandateregistry.infra.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The pure checks of {@link RequestFilters}; the filter itself runs in {@code BadInputIT}. */
class RequestFiltersTest {

  @Test
  void findsAQueryParameterGivenTwice_evenWhenEncodedDifferently() {
    assertThat(RequestFilters.repeatedParameter("limit=1&limit=500")).isEqualTo("limit");
    assertThat(RequestFilters.repeatedParameter("status=A&limit=2&status")).isEqualTo("status");
    assertThat(RequestFilters.repeatedParameter("event_type=X&event%5Ftype=Y")).isEqualTo("event_type");
  }

  @Test
  void acceptsDistinctParameters() {
    assertThat(RequestFilters.repeatedParameter(null)).isNull();
    assertThat(RequestFilters.repeatedParameter("")).isNull();
    assertThat(RequestFilters.repeatedParameter("limit=1&status=ACTIVE&cursor=abc%3D%3D")).isNull();
    assertThat(RequestFilters.repeatedParameter("a=1&&b=2")).isNull();
  }

  @Test
  void echoesOnlyPrintableRequestIdsOfAtMost256Characters() {
    assertThat(RequestFilters.echoable("req-42 with spaces!")).isTrue();
    assertThat(RequestFilters.echoable("x".repeat(256))).isTrue();
    assertThat(RequestFilters.echoable("x".repeat(257))).isFalse();
    assertThat(RequestFilters.echoable("tab\there")).isFalse();
    assertThat(RequestFilters.echoable("")).isFalse();
  }
}

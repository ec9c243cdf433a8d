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
  void findsAQueryParameterThatIsNotPercentEncodedUtf8() {
    assertThat(RequestFilters.undecodableParameter("status=SUSPENDED%zz")).isEqualTo("status");
    assertThat(RequestFilters.undecodableParameter("limit=5&cursor=%%%")).isEqualTo("cursor");
    assertThat(RequestFilters.undecodableParameter("pom=%")).isEqualTo("pom");
    assertThat(RequestFilters.undecodableParameter("pom=sd-jwt-vc%2")).isEqualTo("pom");
    assertThat(RequestFilters.undecodableParameter("status=%C0%80")).as("overlong UTF-8").isEqualTo("status");
    assertThat(RequestFilters.undecodableParameter("status=%FF")).isEqualTo("status");
    assertThat(RequestFilters.undecodableParameter("st%zzatus=ACTIVE")).as("the name itself").isEqualTo("st%zzatus");
  }

  @Test
  void acceptsWellFormedPercentEncoding() {
    assertThat(RequestFilters.undecodableParameter(null)).isNull();
    assertThat(RequestFilters.undecodableParameter("limit=5&cursor=abc%3D%3D&status=ACTIVE")).isNull();
    assertThat(RequestFilters.undecodableParameter("q=caf%C3%A9+au+lait&x=%F0%9F%98%80")).isNull();
    assertThat(RequestFilters.undecodableParameter("flag&empty=&a=1")).isNull();
    assertThat(RequestFilters.decodable("%e2%82%ac")).as("lower-case hex").isTrue();
  }

  @Test
  void refusesContentTypesSpringCannotUseOrThatAreNotUtf8() {
    assertThat(RequestFilters.contentTypeProblem("*/*")).contains("wildcard");
    assertThat(RequestFilters.contentTypeProblem("application/*")).contains("wildcard");
    assertThat(RequestFilters.contentTypeProblem("text/*")).contains("wildcard");
    assertThat(RequestFilters.contentTypeProblem("x")).contains("not a valid media type");
    assertThat(RequestFilters.contentTypeProblem(";")).contains("not a valid media type");
    assertThat(RequestFilters.contentTypeProblem("application/json; charset=bogus")).contains("not a valid media type");
    assertThat(RequestFilters.contentTypeProblem("application/json; charset=ISO-8859-1")).contains("ISO-8859-1");
    assertThat(RequestFilters.contentTypeProblem("application/json; charset=UTF-16")).contains("UTF-16");
  }

  @Test
  void leavesOtherContentTypesToTheEndpoint() {
    assertThat(RequestFilters.contentTypeProblem(null)).isNull();
    assertThat(RequestFilters.contentTypeProblem("application/json")).isNull();
    assertThat(RequestFilters.contentTypeProblem("application/json; charset=utf-8")).isNull();
    assertThat(RequestFilters.contentTypeProblem("application/problem+json")).isNull();
    assertThat(RequestFilters.contentTypeProblem("text/plain")).as("a 415 from the endpoint").isNull();
  }

  @Test
  void echoesRequestIdsWithoutControlCharacters() {
    assertThat(RequestFilters.echoable("req-42 with spaces!")).isTrue();
    assertThat(RequestFilters.echoable("x".repeat(1000))).isTrue();
    assertThat(RequestFilters.echoable("caf\u00e9")).as("obs-text, as Tomcat decodes it").isTrue();
    assertThat(RequestFilters.echoable("tab\there")).isFalse();
    assertThat(RequestFilters.echoable("nul\u0000")).isFalse();
    assertThat(RequestFilters.echoable("")).isFalse();
  }
}

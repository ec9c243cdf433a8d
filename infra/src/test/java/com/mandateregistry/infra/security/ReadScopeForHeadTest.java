package com.mandateregistry.infra.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mandateregistry.api.web.Caller;
import jakarta.servlet.Filter;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.test.context.junit.jupiter.web.SpringJUnitWebConfig;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

/**
 * The scope rules of {@link SecurityConfig} for HEAD, which Spring MVC answers with the GET
 * handler (status, ETag and Content-Length): Spring Security matches a rule's method exactly, so a
 * rule for GET alone would let HEAD through to the last rule, which any valid key passes. The
 * security chain is the real one; the controller a stand-in with the mapping and ETag of {@code
 * MandateQueryController#get}. End to end, on every read path: {@code ApiKeyScopesIT}.
 */
@SpringJUnitWebConfig(ReadScopeForHeadTest.Config.class)
class ReadScopeForHeadTest {

  static final String VERIFY_ONLY = "mrk_verify";
  static final String NO_SCOPES = "mrk_none";
  static final String READER = "mrk_read";
  static final String EXISTING = "mdt_01HEXISTING0000000000000000";

  @Configuration
  @EnableWebMvc
  @EnableWebSecurity
  @Import({SecurityConfig.class, ErrorWriter.class, Stub.class})
  static class Config {
    @Bean
    ObjectMapper objectMapper() {
      return new ObjectMapper();
    }

    @Bean
    ApiKeyCredentials credentials() {
      ApiKeyCredentials credentials = mock(ApiKeyCredentials.class);
      Caller caller = new Caller("tnt_01HTENANT00000000000000000", "api_key", "key_x");
      when(credentials.authenticate(isNull(), any())).thenReturn(Optional.empty());
      when(credentials.authenticate(isNull(), eq(VERIFY_ONLY)))
          .thenReturn(Optional.of(new ApiKeyCredentials.Verified(caller, Set.of(ApiKeyCredentials.MANDATES_VERIFY))));
      when(credentials.authenticate(isNull(), eq(READER)))
          .thenReturn(Optional.of(new ApiKeyCredentials.Verified(caller, Set.of(ApiKeyCredentials.MANDATES_READ))));
      when(credentials.authenticate(isNull(), eq(NO_SCOPES)))
          .thenReturn(Optional.of(new ApiKeyCredentials.Verified(caller, Set.of(""))));
      return credentials;
    }
  }

  @RestController
  static class Stub {
    @GetMapping("/v1/mandates/{id}")
    ResponseEntity<Map<String, Object>> get(@PathVariable("id") String id) {
      if (!EXISTING.equals(id)) {
        return ResponseEntity.status(404).body(Map.of("code", "NOT_FOUND"));
      }
      return ResponseEntity.ok().eTag("\"3\"").body(Map.of("mandate_id", id, "status", "ACTIVE"));
    }
  }

  @Autowired WebApplicationContext context;
  MockMvc mvc;

  @BeforeEach
  void setUp() {
    mvc = MockMvcBuilders.webAppContextSetup(context)
        .addFilters(context.getBean("springSecurityFilterChain", Filter.class))
        .build();
  }

  private MvcResult call(String method, String key, String path) throws Exception {
    return mvc.perform(MockMvcRequestBuilders.request(method, java.net.URI.create(path)).header("X-API-Key", key))
        .andReturn();
  }

  @Test
  void get_withAVerifyOnlyKey_is403() throws Exception {
    assertThat(call("GET", VERIFY_ONLY, "/v1/mandates/" + EXISTING).getResponse().getStatus()).isEqualTo(403);
  }

  @Test
  void head_withAVerifyOnlyKey_isAlso403() throws Exception {
    var response = call("HEAD", VERIFY_ONLY, "/v1/mandates/" + EXISTING).getResponse();
    assertThat(response.getStatus())
        .as("HEAD /v1/mandates/{id} with a mandates:verify key (ETag %s)", response.getHeader("ETag"))
        .isEqualTo(403);
  }

  @Test
  void head_withAKeyWithoutScopes_isAlso403() throws Exception {
    var existing = call("HEAD", NO_SCOPES, "/v1/mandates/" + EXISTING).getResponse();
    var missing = call("HEAD", NO_SCOPES, "/v1/mandates/mdt_01HMISSING00000000000000000").getResponse();
    assertThat(existing.getStatus() + " / " + missing.getStatus())
        .as("HEAD on an existing / a missing mandate with a key without scopes (ETag %s)", existing.getHeader("ETag"))
        .isEqualTo("403 / 403");
  }

  @Test
  void head_withAReadKey_isAnsweredAsGetIs() throws Exception {
    var existing = call("HEAD", READER, "/v1/mandates/" + EXISTING).getResponse();
    assertThat(existing.getStatus()).isEqualTo(200);
    assertThat(existing.getHeader("ETag")).isEqualTo("\"3\"");
    assertThat(call("HEAD", READER, "/v1/mandates/mdt_01HMISSING00000000000000000").getResponse().getStatus())
        .isEqualTo(404);
  }
}

package com.mandateregistry.bench.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.mandateregistry.api.web.Caller;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/bench/noop}: the floor. It takes the same body as {@code POST /v1/verify}, through
 * the same filters and security chain (the API key is checked the same way), is parsed by the same
 * Jackson, and answers a small JSON object of about the size of a verification's, but decides and
 * stores nothing. Registered only by {@link BenchConfiguration}.
 */
@RestController
class NoopController {

  /** The body of {@code POST /v1/verify}. */
  record Body(
      @JsonProperty("delegate_subject_id") String delegateSubjectId,
      String action,
      String resource,
      Map<String, Object> context) {}

  @PostMapping("/v1/bench/noop")
  Map<String, Object> noop(Caller caller, @RequestBody Body body) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("decision", "NOOP");
    answer.put("mandate_id", null);
    answer.put("tenant_id", caller.tenantId());
    answer.put("delegate_subject_id", body.delegateSubjectId());
    answer.put("action", body.action());
    return answer;
  }
}

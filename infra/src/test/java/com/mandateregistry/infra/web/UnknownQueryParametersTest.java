package com.mandateregistry.infra.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mandateregistry.api.web.ApiException;
import jakarta.servlet.DispatcherType;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;

class UnknownQueryParametersTest {

  private final UnknownQueryParameters check = new UnknownQueryParameters();

  /** Handlers as the controllers declare them: by value, by name, by the parameter's own name. */
  static final class Handlers {
    void byValue(@RequestParam(value = "status", required = false) String s, String notAQueryParameter) {}

    void byName(@RequestParam(name = "event_type", required = false) String t) {}

    void byParameterName(@RequestParam(defaultValue = "false") boolean count) {}

    void anyName(@RequestParam Map<String, String> all) {}

    void none() {}
  }

  private boolean handle(String method, String query) throws Exception {
    var handlerMethod =
        new HandlerMethod(
            new Handlers(),
            java.util.Arrays.stream(Handlers.class.getDeclaredMethods())
                .filter(m -> m.getName().equals(method))
                .findFirst()
                .orElseThrow());
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/x");
    request.setQueryString(query);
    return check.preHandle(request, new MockHttpServletResponse(), handlerMethod);
  }

  @Test
  void theNamesAHandlerTakes_pass_anyOtherIsRefused_naming_itAndWhatIsTaken() throws Exception {
    assertThat(handle("byValue", "status=ACTIVE")).isTrue();
    assertThat(handle("byName", "event_type=X")).isTrue();
    assertThat(handle("byParameterName", "count=true")).isTrue();
    assertThat(handle("byValue", null)).isTrue();
    assertThat(handle("byValue", "")).isTrue();

    assertThatThrownBy(() -> handle("byValue", "status=ACTIVE&notAQueryParameter=1"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.code()).isEqualTo("VALIDATION_ERROR");
              assertThat(e.getMessage())
                  .isEqualTo("unknown query parameter notAQueryParameter; this endpoint takes status");
              assertThat(e.details()).singleElement().satisfies(d -> {
                assertThat(d.param()).isEqualTo("notAQueryParameter");
                assertThat(d.value()).isEqualTo("notAQueryParameter");
                assertThat(d.location()).isEqualTo("query");
              });
            });
    assertThatThrownBy(() -> handle("byName", "eventType=X")).hasMessageContaining("takes event_type");
    assertThatThrownBy(() -> handle("byParameterName", "Count=true")).isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> handle("none", "x")).hasMessageEndingWith("this endpoint takes none");
  }

  @Test
  void aHandlerTakingAMapOfParameters_takesAnyName() throws Exception {
    assertThat(handle("anyName", "whatever=1&else")).isTrue();
  }

  @Test
  void handlersOutsideTheService_andOtherHandlers_areNotChecked() throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/actuator/health");
    request.setQueryString("anything=1");
    var foreign = new HandlerMethod(new Object(), Object.class.getMethod("toString"));
    assertThat(check.preHandle(request, new MockHttpServletResponse(), foreign)).isTrue();
    assertThat(check.preHandle(request, new MockHttpServletResponse(), new Object())).isTrue();
  }

  @Test
  void theErrorPage_isNotChecked_neitherCalledNorOnAnErrorDispatch() throws Exception {
    MockHttpServletRequest called = new MockHttpServletRequest("GET", "/error");
    called.setQueryString("x=1");
    var errorPage = new HandlerMethod(new ErrorEndpoint(), ErrorEndpoint.class.getDeclaredMethod("error", jakarta.servlet.http.HttpServletRequest.class));
    assertThat(check.preHandle(called, new MockHttpServletResponse(), errorPage)).isTrue();

    MockHttpServletRequest dispatched = new MockHttpServletRequest("GET", "/v1/mandates");
    dispatched.setQueryString("x=1");
    dispatched.setDispatcherType(DispatcherType.ERROR);
    var none = new HandlerMethod(new Handlers(), Handlers.class.getDeclaredMethod("none"));
    assertThat(check.preHandle(dispatched, new MockHttpServletResponse(), none)).isTrue();
    dispatched.setDispatcherType(DispatcherType.REQUEST);
    assertThatThrownBy(() -> check.preHandle(dispatched, new MockHttpServletResponse(), none))
        .isInstanceOf(ApiException.class);
  }

  @Test
  void namesAreComparedDecoded_andExactly_emptyPairsNameNothing() {
    Set<String> taken = Set.of("status", "limit");
    assertThat(UnknownQueryParameters.firstUnknown("st%61tus=A&limit=1", taken)).isEmpty();
    assertThat(UnknownQueryParameters.firstUnknown("&limit=1&&", taken)).isEmpty();
    assertThat(UnknownQueryParameters.firstUnknown("limit", taken)).isEmpty();
    assertThat(UnknownQueryParameters.firstUnknown("limit=1&STATUS=A&x=1", taken)).contains("STATUS");
    assertThat(UnknownQueryParameters.firstUnknown("status+=A", taken)).contains("status ");
    assertThat(UnknownQueryParameters.firstUnknown("=A", taken)).contains("");
  }
}

package com.mandateregistry.infra.web;

import com.mandateregistry.api.web.ApiException;
import com.mandateregistry.api.web.Caller;
import java.util.List;
import org.springframework.core.MethodParameter;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Gives controllers the authenticated {@link Caller} as a plain parameter, so that no module but
 * infra depends on Spring Security.
 */
class CallerArgumentResolver implements HandlerMethodArgumentResolver {

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return Caller.class.equals(parameter.getParameterType());
  }

  @Override
  public Caller resolveArgument(
      MethodParameter parameter,
      ModelAndViewContainer mav,
      NativeWebRequest request,
      WebDataBinderFactory binders) {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    if (auth != null && auth.getPrincipal() instanceof Caller caller) {
      return caller;
    }
    throw new ApiException(401, "UNAUTHORIZED", "a tenant credential is required", List.of());
  }
}

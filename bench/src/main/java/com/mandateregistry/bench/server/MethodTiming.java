package com.mandateregistry.bench.server;

import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Set;
import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Wraps a few beans of the verification path in timing proxies (CGLIB subclasses), so the server
 * time of a verification can be split into its parts: the API key check, the whole service call,
 * the authoritative status read, the group-commit wait, and the proof's extra read. The beans are
 * named by class name, since the bench does not compile against infra's classes. A proxy costs
 * well under a microsecond per call; only the listed methods are timed.
 */
final class MethodTiming implements BeanPostProcessor {

  /** Class name → timed method → the name it is reported under. */
  private static final Map<String, Map<String, String>> TIMED =
      Map.of(
          "com.mandateregistry.infra.security.ApiKeyCredentials",
              Map.of("authenticate", "auth (api_key_credential read)"),
          "com.mandateregistry.query.verification.web.VerificationService",
              Map.of("verify", "VerificationService.verify"),
          "com.mandateregistry.query.verification.freshness.FreshnessGuard",
              Map.of("statusOf", "authority (mandate_authority read)"),
          "com.mandateregistry.query.verification.recording.DecisionRecorder",
              Map.of("record", "record (group-commit wait)"),
          "com.mandateregistry.query.verification.web.MandateDetails",
              Map.of("granted", "proof details (mandate_view read)"),
          "com.mandateregistry.query.verification.usage.PostgresUsageCounter",
              Map.of("tryConsume", "usage counter"));

  private static final Set<String> NAMES = TIMED.keySet();

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    Class<?> type = bean.getClass();
    if (!NAMES.contains(type.getName()) || Modifier.isFinal(type.getModifiers())) {
      return bean;
    }
    Map<String, String> methods = TIMED.get(type.getName());
    ProxyFactory proxy = new ProxyFactory(bean);
    proxy.setProxyTargetClass(true);
    proxy.addAdvice(
        (MethodInterceptor)
            invocation -> {
              String name = methods.get(invocation.getMethod().getName());
              if (name == null || ServerTiming.phase() == null) {
                return invocation.proceed();
              }
              long start = System.nanoTime();
              try {
                return invocation.proceed();
              } finally {
                ServerTiming.record(name, System.nanoTime() - start);
              }
            });
    return proxy.getProxy(type.getClassLoader());
  }
}

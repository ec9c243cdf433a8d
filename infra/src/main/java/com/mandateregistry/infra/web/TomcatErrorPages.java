package com.mandateregistry.infra.web;

import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Replaces the embedded Tomcat's error report valve (HTML) with {@link JsonErrorReportValve}.
 * Runs after Spring Boot's own customizer, which adds a plain {@link ErrorReportValve} to the
 * host; that one is removed, and the host is told the class of ours so that it adds no other.
 */
@Component
class TomcatErrorPages implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

  @Override
  public void customize(TomcatServletWebServerFactory factory) {
    factory.addContextCustomizers(
        context -> {
          if (!(context.getParent() instanceof StandardHost host)) {
            return;
          }
          for (Valve valve : host.getPipeline().getValves()) {
            if (valve instanceof ErrorReportValve && !(valve instanceof JsonErrorReportValve)) {
              host.getPipeline().removeValve(valve);
            }
          }
          host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
          host.getPipeline().addValve(new JsonErrorReportValve());
        });
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}

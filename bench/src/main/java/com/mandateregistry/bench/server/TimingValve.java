package com.mandateregistry.bench.server;

import jakarta.servlet.ServletException;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * Times each benchmark request inside Tomcat, around the whole servlet pipeline (every filter,
 * the security chain, Spring MVC, the controller, JSON), so that the server's share of a latency
 * can be told apart from the client's and the network's. Not included: reading the request line
 * and headers off the socket, and the final flush.
 */
final class TimingValve extends ValveBase {

  TimingValve() {
    super(true);
  }

  @Override
  public void invoke(Request request, Response response) throws IOException, ServletException {
    String phase = request.getHeader(ServerTiming.PHASE_HEADER);
    if (phase == null) {
      getNext().invoke(request, response);
      return;
    }
    ServerTiming.phase(phase);
    long start = System.nanoTime();
    try {
      getNext().invoke(request, response);
    } finally {
      ServerTiming.record("request", System.nanoTime() - start);
      ServerTiming.phase(null);
    }
  }
}

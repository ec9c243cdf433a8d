package com.mandateregistry.infra.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.io.EOFException;
import java.net.SocketException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A PostgreSQL connection that drops mid-statement (server restart, backend terminated) fails with
 * the driver's "I/O error" (SQLSTATE 08006) caused by an EOFException or a SocketException "Broken
 * pipe"/"Connection reset by peer". Unless Spring wrapped it in a DataAccessException, Spring's
 * DisconnectedClientHelper takes that cause chain for a client hang-up; ErrorHandling used it, and
 * answered an empty 200 instead of the 503 DatabaseUnavailable maps it to. A real hang-up is
 * {@code ClientDisconnectTest}.
 */
class DatabaseDropNotClientDisconnectTest {

  /** As Axon wraps a store failure (DatabaseUnavailableTest's own example), with the driver's real cause. */
  static RuntimeException axonWrapped(Throwable ioCause) {
    return new IllegalStateException(
        "event not stored",
        new RuntimeException(
            new PSQLException("An I/O error occurred while sending to the backend.", PSQLState.CONNECTION_FAILURE, ioCause)));
  }

  @Test
  void aDatabaseConnectionDroppedMidStatement_isA503_notAClientDisconnect() {
    RuntimeException eof = axonWrapped(new EOFException());
    assertThat(DatabaseUnavailable.causes(eof)).as("DatabaseUnavailable's verdict").isTrue();
    assertThat(new ErrorHandling().unexpected(eof)).as("answer to a DB EOF").isNotNull();
  }

  @Test
  void aDatabaseSocketBrokenPipe_isA503_notAClientDisconnect() {
    RuntimeException pipe = axonWrapped(new SocketException("Broken pipe"));
    assertThat(new ErrorHandling().unexpected(pipe)).as("answer to a DB broken pipe").isNotNull();
  }

  @RestController
  static class Failing {
    @GetMapping("/x")
    String x() {
      throw axonWrapped(new EOFException());
    }
  }

  @Test
  void theClientGetsA503_notAnEmpty200() throws Exception {
    MockMvc mvc = MockMvcBuilders.standaloneSetup(new Failing()).setControllerAdvice(new ErrorHandling()).build();
    MvcResult result = mvc.perform(get("/x")).andReturn();
    assertThat(result.getResponse().getStatus())
        .as("status for a request whose database connection dropped; body='%s'", result.getResponse().getContentAsString())
        .isEqualTo(503);
  }
}

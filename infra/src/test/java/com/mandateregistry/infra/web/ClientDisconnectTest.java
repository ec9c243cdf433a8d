package com.mandateregistry.infra.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import org.apache.catalina.connector.ClientAbortException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;

/**
 * A client that hangs up while a (large) list page is written: not an unexpected error. It was
 * logged as one, at ERROR with a stack trace, once per hang-up (GET /v1/mandates?limit=200, socket
 * closed after 100 bytes), so any client could flood the log.
 */
class ClientDisconnectTest {

  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(ErrorHandling.class);

  @BeforeEach
  void capture() {
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void release() {
    logger.detachAppender(lines);
  }

  @Test
  void aClientThatHungUp_isNotAnUnexpectedError() {
    AsyncRequestNotUsableException hungUp =
        new AsyncRequestNotUsableException(
            "ServletOutputStream failed to write: java.io.IOException: Connection reset by peer",
            new ClientAbortException(new IOException("Connection reset by peer")));

    assertThat(new ErrorHandling().unexpected(hungUp)).as("nothing to write to a client that is gone").isNull();

    assertThat(lines.list)
        .as("log lines for a client disconnect")
        .noneMatch(e -> e.getLevel() == Level.ERROR);
    // a real failure is still an ERROR and a 500
    assertThat(new ErrorHandling().unexpected(new IllegalStateException("a bug")).getStatusCode().value())
        .isEqualTo(500);
    assertThat(lines.list).anyMatch(e -> e.getLevel() == Level.ERROR);
  }
}

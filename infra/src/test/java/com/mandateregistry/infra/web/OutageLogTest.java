package com.mandateregistry.infra.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class OutageLogTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final OutageLog outage;

  OutageLogTest() {
    Logger logger = (Logger) LoggerFactory.getLogger("outage-log-test");
    lines.start();
    logger.addAppender(lines);
    outage = new OutageLog(now::get, logger);
  }

  private static final SQLException DOWN = new SQLException("Connection refused", "08001");

  @Test
  void theFirstRefusalIsLoggedAtOnce_thenOneLinePerInterval_countingTheRest() {
    outage.refused("a request", DOWN);
    assertThat(lines.list).hasSize(1);
    assertThat(lines.list.get(0).getFormattedMessage())
        .isEqualTo("answered 503, the database is unavailable (a request): java.sql.SQLException: Connection refused");

    for (int i = 0; i < 999; i++) {
      now.addAndGet(1_000_000); // 1 ms each: 999 ms in all, within the interval
      outage.refused("a request", DOWN);
    }
    assertThat(lines.list).as("nothing more within the interval").hasSize(1);

    now.addAndGet(OutageLog.INTERVAL.toNanos());
    outage.refused("an API key to check", DOWN);
    assertThat(lines.list).hasSize(2);
    assertThat(lines.list.get(1).getFormattedMessage())
        .startsWith("answered 503, the database is unavailable (an API key to check; 999 more refused since the last line)");

    now.addAndGet(OutageLog.INTERVAL.toNanos());
    outage.refused("a request", DOWN);
    assertThat(lines.list.get(2).getFormattedMessage()).as("the count starts again").doesNotContain("more refused");
  }
}

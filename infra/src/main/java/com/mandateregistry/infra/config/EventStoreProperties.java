package com.mandateregistry.infra.config;

import com.mandateregistry.api.Settings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code mandate-registry.event-store.*}: how long the publishers wait for an event whose global
 * index they have read past to be committed.
 *
 * <p>An event's {@code global_index} is taken when it is inserted, not when its transaction
 * commits, so a reader can see index 101 committed while 100 is still in flight. Axon's reader keeps
 * such missing indexes as gaps in its token and reads them again until they appear, and gives up on
 * a gap (it assumes a rolled-back transaction) once it has read an event {@code maxGapOffset}
 * indexes above it, or an event above it stamped more than {@code gapTimeout} ago. An event
 * committed after its gap was given up is never published: never in Kafka, the read model, the
 * index or the trail. Axon's defaults (10,000 indexes, 60 s) gave up on a transaction stalled for
 * 2.5 s at 4,000 events a second, or on a node whose clock ran a minute behind.
 *
 * @param gapTimeout a gap is given up once an event above it is older than this (by the clock of
 *     the node that wrote it); must be longer than any transaction that inserts events lasts, which
 *     {@code mandate-registry.database.idle-in-transaction-timeout} bounds, plus how far the nodes'
 *     clocks may differ
 * @param maxGapOffset a gap is given up once an event this many indexes above it has been read: at
 *     the default, 250,000, a minute at 4,000 events a second. Each rolled-back insert (a failed
 *     batch, a write that lost a race between nodes) is kept as a gap, written with the token and
 *     named in every read, until then or until the gap timeout
 */
@ConfigurationProperties("mandate-registry.event-store")
public record EventStoreProperties(
    @DefaultValue("10m") Duration gapTimeout, @DefaultValue("250000") int maxGapOffset) {

  /**
   * The most gaps a token may hold: every one is written with the token after each batch and read
   * by every fetch, so a burst of rolled-back inserts costs in proportion.
   */
  static final int MAX_GAP_OFFSET = 10_000_000;

  public EventStoreProperties {
    Settings.positive("mandate-registry.event-store.gap-timeout", gapTimeout);
    if (gapTimeout.compareTo(DatabaseProperties.MAX) > 0) {
      throw new IllegalArgumentException(
          "mandate-registry.event-store.gap-timeout must be at most " + DatabaseProperties.MAX + ", got " + gapTimeout);
    }
    Settings.atLeast("mandate-registry.event-store.max-gap-offset", maxGapOffset, 10_000);
    if (maxGapOffset > MAX_GAP_OFFSET) {
      throw new IllegalArgumentException(
          "mandate-registry.event-store.max-gap-offset must be at most " + MAX_GAP_OFFSET + ", got " + maxGapOffset);
    }
  }

  /**
   * Refuses a gap timeout that a transaction left open by a stalled session could outlast: PostgreSQL
   * ends such a session only after {@code idle-in-transaction-timeout}.
   *
   * @return whether the database bounds an idle transaction at all (when it does not, nothing bounds
   *     how long a stalled node's transaction keeps its gap open)
   * @throws IllegalArgumentException if the gap timeout is not longer than that bound
   */
  public boolean checkAgainst(DatabaseProperties database) {
    Duration idle = database.idleInTransactionTimeout();
    if (idle.isZero()) {
      return false;
    }
    if (gapTimeout.compareTo(idle) <= 0) {
      throw new IllegalArgumentException(
          "mandate-registry.event-store.gap-timeout (" + gapTimeout + ") must be longer than"
              + " mandate-registry.database.idle-in-transaction-timeout (" + idle + "): a transaction"
              + " that stalled after inserting events could commit after its gap was given up, and"
              + " its events would never be published");
    }
    return true;
  }
}

package com.mandateregistry.infra.axon;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.SortedSet;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;

/**
 * The storage engine's two queries that name the gaps of a reader's token, written for PostgreSQL.
 * The readers keep a missing global index as a gap for up to {@code
 * mandate-registry.event-store.max-gap-offset} indexes ({@code EventStoreProperties}), so a token
 * can hold many more gaps than Axon's default of 10,000 allowed:
 *
 * <ul>
 *   <li>Axon's read sends each gap as a parameter of an {@code IN} list, and the driver refuses a
 *       statement with more than 65,535: a run of 65,534 rolled-back indexes stopped both
 *       publishers for good. Here the gaps are one array parameter ({@code = ANY (?)});
 *   <li>Axon's gap cleaning reads every row from the first gap to the last at once (up to the whole
 *       offset) and stops at the first recent one. Here it reads them in order, a page at a time, so
 *       that stopping early costs only what was read.
 * </ul>
 */
final class GapStatements {

  /** Rows of a gap cleaning fetched per round trip. */
  static final int CLEAN_FETCH_SIZE = 500;

  private GapStatements() {}

  /**
   * A batch of events above the token's index, and the events that have filled any of its gaps, in
   * global order (Axon's query, with the gaps as one array).
   */
  static PreparedStatement readWithGaps(
      Connection connection, EventSchema schema, long globalIndex, int batchSize, List<Long> gaps)
      throws SQLException {
    String index = schema.globalIndexColumn();
    PreparedStatement statement =
        connection.prepareStatement(
            "SELECT " + schema.trackedEventFields() + " FROM " + schema.domainEventTable()
                + " WHERE (" + index + " > ? AND " + index + " <= ?) OR " + index + " = ANY (?)"
                + " ORDER BY " + index + " ASC");
    statement.setLong(1, globalIndex);
    statement.setLong(2, globalIndex + batchSize);
    statement.setArray(3, connection.createArrayOf("bigint", gaps.toArray()));
    return statement;
  }

  /**
   * The index and time of the events from the token's first gap to its last, in global order and
   * fetched a page at a time (Axon's reader stops at the first event newer than the gap timeout).
   */
  static PreparedStatement cleanGaps(Connection connection, EventSchema schema, SortedSet<Long> gaps)
      throws SQLException {
    String index = schema.globalIndexColumn();
    PreparedStatement statement =
        connection.prepareStatement(
            "SELECT " + index + ", " + schema.timestampColumn() + " FROM " + schema.domainEventTable()
                + " WHERE " + index + " >= ? AND " + index + " <= ? ORDER BY " + index + " ASC");
    statement.setLong(1, gaps.first());
    statement.setLong(2, gaps.last() + 1);
    statement.setFetchSize(CLEAN_FETCH_SIZE);
    return statement;
  }
}

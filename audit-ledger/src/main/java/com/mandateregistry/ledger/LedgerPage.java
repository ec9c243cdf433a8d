package com.mandateregistry.ledger;

import com.mandateregistry.ledger.format.LedgerEntry;
import java.util.List;
import java.util.OptionalLong;

/**
 * One page of entries in ascending sequence.
 *
 * @param entries at most the query's limit
 * @param hasMore whether entries follow this page
 */
public record LedgerPage(List<LedgerEntry> entries, boolean hasMore) {

  public LedgerPage {
    entries = List.copyOf(entries);
  }

  /** The {@code afterSequence} of the next page (the last entry's sequence), when there is one. */
  public OptionalLong nextAfterSequence() {
    return hasMore && !entries.isEmpty()
        ? OptionalLong.of(entries.get(entries.size() - 1).sequence())
        : OptionalLong.empty();
  }
}

package com.mandateregistry.query.verification.index;

import com.mandateregistry.api.mandate.MandateStatus;
import com.mandateregistry.query.verification.MandateSnapshot;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every mandate of every tenant, in memory, by tenant and delegate: what a verification needs
 * without a database round trip. Fed by {@link VerificationIndexProjection} from the event stream,
 * so it is eventually consistent; {@code FreshnessGuard} closes the gap for ALLOW decisions.
 *
 * <p>Reads are lock-free: each (tenant, delegate) holds an immutable array that writers replace
 * (copy on write), so a reader sees one consistent set. Writes for one delegate are serialised by
 * the map's per-key compute. A change applies only if its version is newer than the stored one, so
 * a redelivered or out-of-order event changes nothing.
 */
public final class VerificationIndex {

  private static final MandateSnapshot[] NONE = new MandateSnapshot[0];

  /** tenant id + '\u0000' + delegate subject id → the delegate's mandates. */
  private final Map<String, MandateSnapshot[]> byDelegate = new ConcurrentHashMap<>();

  /** mandate id → tenant id + '\u0000' + delegate subject id, to find a mandate's slot. */
  private final Map<String, String> slotOf = new ConcurrentHashMap<>();

  /** The mandates of {@code delegateSubjectId} in {@code tenantId}, in any state. */
  public List<MandateSnapshot> candidates(String tenantId, String delegateSubjectId) {
    MandateSnapshot[] found = byDelegate.get(slot(tenantId, delegateSubjectId));
    return found == null ? List.of() : Arrays.asList(found);
  }

  /** Adds a mandate, or replaces it if {@code snapshot} is newer. */
  public void put(MandateSnapshot snapshot) {
    String slot = slot(snapshot.tenantId(), snapshot.delegateSubjectId());
    slotOf.put(snapshot.mandateId(), slot);
    byDelegate.compute(slot, (k, current) -> upsert(current == null ? NONE : current, snapshot));
  }

  /** Moves a known mandate to {@code status} at {@code version}, if that is newer. */
  public void changeStatus(String mandateId, MandateStatus status, long version) {
    String slot = slotOf.get(mandateId);
    if (slot == null) {
      return; // its creation was never indexed (refused as invalid); nothing to change
    }
    byDelegate.computeIfPresent(
        slot,
        (k, current) -> {
          for (MandateSnapshot s : current) {
            if (s.mandateId().equals(mandateId) && s.version() < version) {
              return upsert(current, withStatus(s, status, version));
            }
          }
          return current;
        });
  }

  /** The mandate, if indexed. */
  public MandateSnapshot find(String mandateId) {
    String slot = slotOf.get(mandateId);
    if (slot == null) {
      return null;
    }
    for (MandateSnapshot s : byDelegate.getOrDefault(slot, NONE)) {
      if (s.mandateId().equals(mandateId)) {
        return s;
      }
    }
    return null;
  }

  /** The number of mandates indexed. */
  public int size() {
    return slotOf.size();
  }

  /** Forgets everything (before a replay rebuilds it). */
  public void clear() {
    byDelegate.clear();
    slotOf.clear();
  }

  private static MandateSnapshot[] upsert(MandateSnapshot[] current, MandateSnapshot snapshot) {
    for (int i = 0; i < current.length; i++) {
      if (current[i].mandateId().equals(snapshot.mandateId())) {
        if (current[i].version() >= snapshot.version()) {
          return current;
        }
        MandateSnapshot[] next = current.clone();
        next[i] = snapshot;
        return next;
      }
    }
    MandateSnapshot[] next = Arrays.copyOf(current, current.length + 1);
    next[current.length] = snapshot;
    return next;
  }

  static MandateSnapshot withStatus(MandateSnapshot s, MandateStatus status, long version) {
    return new MandateSnapshot(
        s.mandateId(), s.tenantId(), version, status, s.delegateSubjectId(), s.effect(), s.actions(),
        s.resources(), s.constraints(), s.createdAt(), s.expiresAt());
  }

  private static String slot(String tenantId, String delegateSubjectId) {
    return tenantId + '\u0000' + delegateSubjectId;
  }
}

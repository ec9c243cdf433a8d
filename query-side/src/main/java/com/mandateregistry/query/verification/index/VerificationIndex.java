package com.mandateregistry.query.verification.index;

import com.mandateregistry.api.Settings;
import com.mandateregistry.api.mandate.MandateStatus;
import com.mandateregistry.query.verification.MandateSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.PriorityBlockingQueue;

/**
 * Every mandate of every tenant, in memory, by tenant and delegate: what a verification needs
 * without a database round trip. Fed by {@link VerificationIndexProjection} from the event stream,
 * so it is eventually consistent; {@code FreshnessGuard} closes the gap for ALLOW decisions.
 *
 * <p>Reads are lock-free: each (tenant, delegate) holds an immutable array that writers replace
 * (copy on write), so a reader sees one consistent set. Writes for one delegate are serialised by
 * the map's per-key compute. A change applies only if its version is newer than the stored one, so
 * a redelivered or out-of-order event changes nothing.
 *
 * <p>A mandate that has ended (REVOKED or EXPIRED, both final) is kept for {@code endedRetention}
 * after it ended, so that a verification it would have covered says why ({@code MANDATE_REVOKED},
 * {@code MANDATE_EXPIRED}), and then forgotten ({@link #end}, {@link #forgetEnded}): after that such
 * a verification finds no mandate ({@code NO_MATCHING_MANDATE}). So the index's memory follows the
 * mandates in force plus those ended within the retention, not every mandate ever granted. Forgetting
 * an ended mandate cannot turn a DENY into an ALLOW: an ended mandate allows nothing, and an ended
 * DENY mandate denies nothing.
 */
public final class VerificationIndex {

  private static final MandateSnapshot[] NONE = new MandateSnapshot[0];

  /** tenant id + '\u0000' + delegate subject id → the delegate's mandates. */
  private final Map<String, MandateSnapshot[]> byDelegate = new ConcurrentHashMap<>();

  /** mandate id → tenant id + '\u0000' + delegate subject id, to find a mandate's slot. */
  private final Map<String, String> slotOf = new ConcurrentHashMap<>();

  /** How long an ended mandate stays after it ended. */
  private final Duration endedRetention;

  /**
   * Ended mandates still kept, the one to forget first at the head: events do not come in the
   * order their mandates ended (a rebuild reads the topic's partitions in turn, an expiry after
   * downtime is dated when the mandate expired).
   */
  private final Queue<Ended> ended =
      new PriorityBlockingQueue<>(16, Comparator.comparing(Ended::forgetAt));

  private record Ended(String mandateId, Instant forgetAt) {}

  /** An index that keeps ended mandates for 30 days. */
  public VerificationIndex() {
    this(DEFAULT_ENDED_RETENTION);
  }

  /** The default of {@code mandate-registry.verification.ended-retention}. */
  public static final Duration DEFAULT_ENDED_RETENTION = Duration.ofDays(30);

  /**
   * @param endedRetention how long a REVOKED or EXPIRED mandate stays after it ended; zero forgets
   *     it at once
   */
  public VerificationIndex(Duration endedRetention) {
    this.endedRetention = Settings.notNegative("mandate-registry.verification.ended-retention", endedRetention);
  }

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

  /**
   * Moves a known mandate to {@code status} at {@code version}, if that is newer.
   *
   * @return whether it did
   */
  public boolean changeStatus(String mandateId, MandateStatus status, long version) {
    String slot = slotOf.get(mandateId);
    if (slot == null) {
      return false; // its creation was never indexed (refused as invalid), or it was forgotten
    }
    boolean[] changed = {false};
    byDelegate.computeIfPresent(
        slot,
        (k, current) -> {
          for (MandateSnapshot s : current) {
            if (s.mandateId().equals(mandateId) && s.version() < version) {
              changed[0] = true;
              return upsert(current, withStatus(s, status, version));
            }
          }
          return current;
        });
    return changed[0];
  }

  /**
   * Moves a known mandate to its final {@code status} (REVOKED or EXPIRED) at {@code version}, if
   * that is newer, and forgets it at once if it ended longer than the retention before {@code now}
   * (a rebuild reading old events), else once the retention has passed ({@link #forgetEnded}).
   *
   * @param endedAt when it was revoked or expired
   */
  public void end(String mandateId, MandateStatus status, long version, Instant endedAt, Instant now) {
    if (status != MandateStatus.REVOKED && status != MandateStatus.EXPIRED) {
      throw new IllegalArgumentException("not a final status: " + status);
    }
    boolean changed = changeStatus(mandateId, status, version);
    Instant forgetAt = endedAt.plus(endedRetention);
    if (!forgetAt.isAfter(now)) {
      remove(mandateId);
    } else if (changed) {
      ended.add(new Ended(mandateId, forgetAt)); // once: a redelivered end changes nothing
    }
  }

  /**
   * Forgets the ended mandates whose retention has passed by {@code now}; cheap when none has (one
   * look at the oldest).
   *
   * @return how many were forgotten
   */
  public int forgetEnded(Instant now) {
    int forgotten = 0;
    for (Ended next = ended.peek(); next != null && !next.forgetAt().isAfter(now); next = ended.peek()) {
      Ended due = ended.poll(); // the head: due, as next was, or an earlier one added meanwhile
      if (due != null && remove(due.mandateId())) {
        forgotten++;
      }
    }
    return forgotten;
  }

  /** Ended mandates kept and waiting for their retention to pass. */
  public int endedKept() {
    return ended.size();
  }

  /** Removes a mandate whose status is final; whether it was there. */
  private boolean remove(String mandateId) {
    String slot = slotOf.get(mandateId);
    if (slot == null) {
      return false;
    }
    boolean[] removed = {false};
    byDelegate.computeIfPresent(
        slot,
        (k, current) -> {
          for (int i = 0; i < current.length; i++) {
            MandateSnapshot s = current[i];
            if (s.mandateId().equals(mandateId) && s.status().isFinal()) {
              removed[0] = true;
              if (current.length == 1) {
                return null;
              }
              MandateSnapshot[] next = new MandateSnapshot[current.length - 1];
              System.arraycopy(current, 0, next, 0, i);
              System.arraycopy(current, i + 1, next, i, current.length - i - 1);
              return next;
            }
          }
          return current;
        });
    if (removed[0]) {
      slotOf.remove(mandateId, slot);
    }
    return removed[0];
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
    ended.clear();
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

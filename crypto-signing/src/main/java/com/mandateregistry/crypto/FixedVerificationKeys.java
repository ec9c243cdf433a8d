package com.mandateregistry.crypto;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** An immutable set of published keys, ordered current first, then retired newest first. */
class FixedVerificationKeys implements VerificationKeys {

  private static final Comparator<PublicKeyInfo> CURRENT_FIRST_THEN_NEWEST =
      Comparator.comparing((PublicKeyInfo k) -> k.isRetired())
          .thenComparing(
              k -> k.isRetired() ? k.retiredAt() : k.notBefore(), Comparator.reverseOrder())
          .thenComparing(PublicKeyInfo::keyId);

  private final List<PublicKeyInfo> keys;

  FixedVerificationKeys(Collection<PublicKeyInfo> keys) {
    Objects.requireNonNull(keys, "keys");
    List<PublicKeyInfo> sorted = new ArrayList<>(keys);
    Set<String> ids = new HashSet<>();
    int current = 0;
    for (PublicKeyInfo key : sorted) {
      Objects.requireNonNull(key, "key");
      if (!ids.add(key.keyId())) {
        throw new IllegalArgumentException("duplicate key id " + key.keyId());
      }
      if (!key.isRetired()) {
        current++;
      }
    }
    if (current > 1) {
      throw new IllegalArgumentException("at most one key may be current, got " + current);
    }
    sorted.sort(CURRENT_FIRST_THEN_NEWEST);
    this.keys = List.copyOf(sorted);
  }

  @Override
  public List<PublicKeyInfo> publicKeys() {
    return keys;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + keys.stream().map(PublicKeyInfo::keyId).toList();
  }
}

package com.mandateregistry.api.mandate;

import java.util.List;

/**
 * The actions a mandate covers, on which resources, and with which effect.
 *
 * @param actions dotted taxonomy ids, a trailing {@code *} matches a subtree
 * @param resources hierarchical, {@code /}-separated resource ids
 * @param effect ALLOW or DENY
 */
public record Scope(List<String> actions, List<String> resources, Effect effect) {

  public Scope {
    actions = List.copyOf(actions);
    resources = List.copyOf(resources);
  }
}

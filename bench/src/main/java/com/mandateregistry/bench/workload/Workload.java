package com.mandateregistry.bench.workload;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The benchmark's data set and requests, computed from numbers alone, so that the server (which
 * creates the mandates) and the load client (which asks about them) agree without exchanging
 * them. Pure JDK: the client JVM has no Spring.
 *
 * <p>Mandate number {@code k} (0 ≤ k &lt; mandates) belongs to tenant {@code k % tenants} and is
 * that tenant's slot {@code k / tenants}; so the first {@code n} mandates are spread evenly over
 * all tenants. Slot {@code s} belongs to the tenant's delegate {@code s / 2}: every delegate (an
 * AI agent with its own id, distinct across the whole data set) holds two mandates:
 *
 * <ul>
 *   <li>slot {@code 2d} ("project"): ALLOW {@code <family>.*} on {@code monco:project:<p>/**},
 *       no constraints; the family is one of {@link #FAMILIES}, the project one of 20 per tenant;
 *   <li>slot {@code 2d + 1} ("payments"): ALLOW {@code payments.invoice.approve} and {@code
 *       payments.invoice.read} on {@code monco:tenant:<t>:invoices/*}, {@code max_amount} 5000
 *       EUR; except for every tenth delegate ({@code d % 10 == 9}), whose second mandate is an
 *       explicit DENY of {@code <family>.approve} on its project.
 * </ul>
 *
 * Every mandate is ACTIVE and expires on 2030-01-01. Scope texts repeat across mandates (8
 * families, 20 projects per tenant), as real scopes do; delegate ids never repeat.
 */
public final class Workload {

  /** Action families of the "project" mandates. */
  public static final List<String> FAMILIES =
      List.of(
          "construction.validation", "construction.inspection", "procurement.order",
          "hr.onboarding", "finance.reporting", "logistics.delivery", "support.ticket",
          "legal.review");

  private static final List<String> ROLES =
      List.of("validate-agent", "invoice-bot", "scheduler", "procurement-agent", "hr-assistant");

  /** Verbs an ALLOW request uses on a "project" mandate ({@code approve} is for the DENY mix). */
  private static final List<String> ALLOW_VERBS = List.of("read", "create", "submit", "comment");

  public static final String EXPIRES_AT = "2030-01-01T00:00:00Z";
  public static final String MAX_AMOUNT = "5000";

  private final int tenants;
  private final int mandates;

  public Workload(int tenants, int mandates) {
    if (tenants < 1 || mandates < 2L * tenants) {
      throw new IllegalArgumentException("need at least 1 tenant and 2 mandates per tenant");
    }
    this.tenants = tenants;
    this.mandates = mandates;
  }

  public int tenants() {
    return tenants;
  }

  public int mandates() {
    return mandates;
  }

  /** One mandate as created: who, what, where, and its constraints (null for none). */
  public record MandateDef(
      int tenant,
      int slot,
      String principal,
      String delegate,
      String effect,
      List<String> actions,
      List<String> resources,
      Map<String, Object> constraints) {}

  /** One verification request and the decision it must get. */
  public record Request(
      int tenant, String delegate, String action, String resource, String amount,
      String expectedDecision) {

    /** The JSON body of {@code POST /v1/verify}. */
    public String json() {
      StringBuilder b = new StringBuilder(256);
      b.append("{\"delegate_subject_id\":\"").append(delegate)
          .append("\",\"action\":\"").append(action)
          .append("\",\"resource\":\"").append(resource).append('"');
      if (amount != null) {
        b.append(",\"context\":{\"amount\":\"").append(amount).append("\",\"currency\":\"EUR\"}");
      }
      return b.append('}').toString();
    }
  }

  /** Mandate number {@code k}. */
  public MandateDef mandate(int k) {
    int tenant = k % tenants;
    int slot = k / tenants;
    int d = slot / 2;
    String delegate = delegate(tenant, d);
    String principal = "monco:user:" + tenantTag(tenant) + "-owner-" + (d % 37);
    String family = family(tenant, d);
    String project = project(tenant, d);
    if (slot % 2 == 0) {
      return new MandateDef(tenant, slot, principal, delegate, "ALLOW",
          List.of(family + ".*"), List.of(project + "/**"), null);
    }
    if (d % 10 == 9) {
      return new MandateDef(tenant, slot, principal, delegate, "DENY",
          List.of(family + ".approve"), List.of(project + "/**"), null);
    }
    return new MandateDef(tenant, slot, principal, delegate, "ALLOW",
        List.of("payments.invoice.approve", "payments.invoice.read"),
        List.of("monco:tenant:" + tenantTag(tenant) + ":invoices/*"),
        Map.of("max_amount", Map.of("amount", MAX_AMOUNT, "currency", "EUR")));
  }

  /** The JSON body of {@code POST /v1/mandates} for mandate {@code k}. */
  public String createJson(int k) {
    MandateDef m = mandate(k);
    StringBuilder b = new StringBuilder(512);
    b.append("{\"principal\":{\"type\":\"natural_person\",\"subject_id\":\"").append(m.principal())
        .append("\"},\"delegate\":{\"type\":\"ai_agent\",\"subject_id\":\"").append(m.delegate())
        .append("\"},\"scope\":{\"actions\":").append(jsonList(m.actions()))
        .append(",\"resources\":").append(jsonList(m.resources()))
        .append(",\"effect\":\"").append(m.effect()).append("\"}");
    if (m.constraints() != null) {
      b.append(",\"constraints\":{\"max_amount\":{\"amount\":").append(MAX_AMOUNT)
          .append(",\"currency\":\"EUR\"}}");
    }
    return b.append(",\"expires_at\":\"").append(EXPIRES_AT).append("\"}").toString();
  }

  /** Slots (mandates) of {@code tenant}. */
  public int slots(int tenant) {
    return mandates / tenants + (tenant < mandates % tenants ? 1 : 0);
  }

  /**
   * An ALLOW request: a random delegate among the first {@code delegateLimit} of a random tenant
   * (all of them: {@code Integer.MAX_VALUE}), on either of its ALLOW mandates.
   */
  public Request allow(SplittableRandom random, int delegateLimit) {
    int tenant = random.nextInt(tenants);
    int d = random.nextInt(Math.min(delegateLimit, slots(tenant) / 2));
    String delegate = delegate(tenant, d);
    if (random.nextBoolean() || d % 10 == 9) {
      return new Request(tenant, delegate, family(tenant, d) + "." + pick(random, ALLOW_VERBS),
          project(tenant, d) + "/zone:EG/installation:stk_" + random.nextInt(1000), null, "ALLOW");
    }
    return new Request(tenant, delegate, "payments.invoice.approve",
        "monco:tenant:" + tenantTag(tenant) + ":invoices/inv_" + random.nextInt(1_000_000),
        (100 + random.nextInt(4800)) + ".00", "ALLOW");
  }

  /**
   * A DENY request, one of four kinds in equal shares: an unknown delegate (no candidates); a
   * known delegate and an action none of its mandates covers; an amount over {@code max_amount};
   * an action its explicit DENY mandate covers.
   */
  public Request deny(SplittableRandom random) {
    int tenant = random.nextInt(tenants);
    int delegates = slots(tenant) / 2;
    String project = "/zone:EG/installation:stk_" + random.nextInt(1000);
    switch (random.nextInt(4)) {
      case 0: {
        int d = delegates + random.nextInt(1_000_000);
        return new Request(tenant, delegate(tenant, d), "construction.validation.read",
            project(tenant, d) + project, null, "DENY");
      }
      case 1: {
        int d = random.nextInt(delegates);
        return new Request(tenant, delegate(tenant, d), "admin.users.delete",
            project(tenant, d) + project, null, "DENY");
      }
      case 2: {
        int d = random.nextInt(delegates);
        if (d % 10 == 9) {
          d = d - 1;
        }
        return new Request(tenant, delegate(tenant, d), "payments.invoice.approve",
            "monco:tenant:" + tenantTag(tenant) + ":invoices/inv_" + random.nextInt(1_000_000),
            (5001 + random.nextInt(5000)) + ".00", "DENY");
      }
      default: {
        int withDeny = delegates / 10; // delegates 9, 19, 29, ...
        int d = withDeny > 0 ? 9 + 10 * random.nextInt(withDeny) : delegates + 1;
        return new Request(tenant, delegate(tenant, d), family(tenant, d) + ".approve",
            project(tenant, d) + project, null, "DENY");
      }
    }
  }

  /** The delegate id of delegate {@code d} of {@code tenant}: unique, about 45 characters. */
  public static String delegate(int tenant, int d) {
    long h = mix(((long) tenant << 32) ^ d);
    return "monco:agent:" + tenantTag(tenant) + "-" + ROLES.get(d % ROLES.size()) + "-" + d + "-"
        + Long.toHexString(h & 0xffffffffL);
  }

  private static String family(int tenant, int d) {
    return FAMILIES.get((int) Math.floorMod(mix(tenant * 31L + d), FAMILIES.size()));
  }

  private static String project(int tenant, int d) {
    return "monco:project:proj_" + tenantTag(tenant).toUpperCase() + "_" + (d % 20);
  }

  private static String tenantTag(int tenant) {
    return "t" + Integer.toString(tenant + 46656, 36);
  }

  private static <T> T pick(SplittableRandom random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  private static String jsonList(List<String> values) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      b.append(i == 0 ? "\"" : ",\"").append(values.get(i)).append('"');
    }
    return b.append(']').toString();
  }

  /** SplitMix64's finaliser: a cheap, well-spread hash. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}

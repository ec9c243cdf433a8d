package com.mandateregistry.query.verification.authzen;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mandateregistry.api.web.ApiException;
import com.mandateregistry.api.web.Caller;
import com.mandateregistry.api.web.ErrorDetail;
import com.mandateregistry.api.web.UnexpectedFailures;
import com.mandateregistry.query.verification.Decision;
import com.mandateregistry.query.verification.InvalidVerificationRequestException;
import com.mandateregistry.query.verification.VerificationRequest;
import com.mandateregistry.query.verification.web.VerificationService;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The AuthZEN Access Evaluation and Access Evaluations APIs over one {@link Verifier}: reads a
 * request (as a JSON tree, so that unknown members are ignored and every problem is named by its
 * JSON path), maps each evaluation to a {@link VerificationRequest}, applies the top-level
 * defaults, runs the evaluations in order under the requested semantic, and shapes the answers.
 *
 * <p>Mapping (docs/verification.md "AuthZEN mapping"):
 *
 * <ul>
 *   <li>{@code subject.id} → {@code delegate_subject_id}; {@code subject.type} is required but
 *       otherwise informational;
 *   <li>{@code action.name} → {@code action};
 *   <li>{@code resource} → {@code resource.id} when it already starts with {@code resource.type +
 *       ":"}, else {@code resource.type + ":" + resource.id};
 *   <li>{@code context} → the verification context ({@code amount}, {@code currency}, {@code mfa};
 *       other keys are ignored);
 *   <li>every {@code properties} object is ignored.
 * </ul>
 *
 * <p>The answer's {@code context} is {@code {"id": <event_id>, "reason_codes": [...], "mandate_id":
 * ..., "constraints_remaining": {...}}}, {@code mandate_id} left out when no mandate is named.
 *
 * <p>A request that does not follow AuthZEN's information model (a required member or attribute
 * missing, blank or of the wrong JSON type, in any evaluation of a batch once the defaults are
 * applied) is a 400 of the whole request, with nothing evaluated. In a well-formed batch, an
 * evaluation whose values the registry refuses (an action or resource id outside its grammar, an
 * invalid {@code context.amount}) or that the service fails after a decision of the request was
 * recorded is {@code "decision": false} with {@code {"error": {"status", "code", "message",
 * "details"}}} as its context, and records nothing.
 */
final class AuthZenEvaluator {

  /** The most evaluations one Access Evaluations request may carry; more is a 400. */
  static final int MAX_EVALUATIONS = 100;

  private static final String VALIDATION_ERROR = "VALIDATION_ERROR";

  /** {@code options.evaluations_semantic}. */
  enum Semantic {
    /** Evaluate every item and answer every one (the default). */
    EXECUTE_ALL("execute_all"),
    /** Stop after the first item that is not permitted (a deny or an error), answering it. */
    DENY_ON_FIRST_DENY("deny_on_first_deny"),
    /** Stop after the first item that is permitted, answering it. */
    PERMIT_ON_FIRST_PERMIT("permit_on_first_permit");

    final String wireName;

    Semantic(String wireName) {
      this.wireName = wireName;
    }

    /** Whether no item after one answered {@code decision} is evaluated. */
    boolean stopsAfter(boolean decision) {
      return switch (this) {
        case EXECUTE_ALL -> false;
        case DENY_ON_FIRST_DENY -> !decision;
        case PERMIT_ON_FIRST_PERMIT -> decision;
      };
    }
  }

  /** An AuthZEN Decision: {@code {"decision": true|false, "context": {...}}}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record DecisionBody(boolean decision, DecisionContext context) {}

  /**
   * The decision's context: the recorded verification event, or (batch only) the error that kept
   * an evaluation from being made. Null members are left out.
   *
   * @param id the VERIFICATION_ALLOWED / VERIFICATION_DENIED event id
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record DecisionContext(
      String id,
      @JsonProperty("reason_codes") List<String> reasonCodes,
      @JsonProperty("mandate_id") String mandateId,
      @JsonProperty("constraints_remaining") Map<String, Object> constraintsRemaining,
      VerificationService.Escalation escalation,
      ErrorBody error) {}

  /** Why an evaluation of a batch was not made: the error shape of the API, with its status. */
  record ErrorBody(int status, String code, String message, List<ErrorDetail> details) {}

  /** The Access Evaluations response when the request had evaluations. */
  record EvaluationsBody(List<DecisionBody> evaluations) {}

  private final Verifier verifier;
  private final UnexpectedFailures failures;

  /**
   * @param failures what the error handling answers for a failure that is not an ApiException: a
   *     batch item that fails so after a decision of its request was recorded carries that answer
   */
  AuthZenEvaluator(Verifier verifier, UnexpectedFailures failures) {
    this.verifier = verifier;
    this.failures = failures;
  }

  /**
   * {@code POST /access/v1/evaluation}.
   *
   * @throws ApiException 400 naming the first problem of the request; 503 from the verification
   */
  DecisionBody evaluation(Caller caller, JsonNode body) {
    requireObject(body);
    return single(caller, body);
  }

  /**
   * {@code POST /access/v1/evaluations}: an {@link EvaluationsBody}, or a {@link DecisionBody} when
   * {@code evaluations} is absent or empty (then the request is a single evaluation).
   *
   * @throws ApiException 400 for a problem of the whole request (not an object, {@code
   *     evaluations} of the wrong shape, with evaluations: {@code options} of the wrong shape or an
   *     unknown semantic, more than {@link #MAX_EVALUATIONS} evaluations, an evaluation that does
   *     not follow AuthZEN's information model) or, without evaluations, of the single evaluation;
   *     503 when the first verification could not be made or recorded
   */
  Object evaluations(Caller caller, JsonNode body) {
    requireObject(body);
    JsonNode items = body.get("evaluations");
    if (absent(items)) {
      return single(caller, body); // a single evaluation, which has no options to check
    }
    if (!items.isArray()) {
      throw badRequest(new Problem("evaluations", items, "must be an array"));
    }
    if (items.isEmpty()) {
      return single(caller, body);
    }
    Semantic semantic = semantic(body.get("options"));
    if (items.size() > MAX_EVALUATIONS) {
      throw badRequest(new Problem("evaluations", items.size(),
          "at most " + MAX_EVALUATIONS + " evaluations per request"));
    }
    // AuthZEN's information model first, for every item, before anything is evaluated: a required
    // member or attribute omitted (or of the wrong JSON type) is a Bad Request of the whole request
    List<Shape> shapes = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      try {
        shapes.add(item(body, items.get(i), "evaluations[" + i + "]"));
      } catch (Problem p) {
        throw badRequest(p);
      }
    }
    List<DecisionBody> answers = new ArrayList<>();
    boolean anyRecorded = false;
    DecisionBody unavailable = null;
    for (int i = 0; i < items.size(); i++) {
      DecisionBody answer;
      if (unavailable != null) {
        // the service failed an earlier item: the rest are not tried (each would wait as long),
        // record nothing, and are answered as it was
        answer = unavailable;
      } else {
        try {
          VerificationRequest request = request(shapes.get(i));
          answer = answer(verifier.verify(caller, request));
          anyRecorded = true;
        } catch (Problem p) {
          answer = failed(400, VALIDATION_ERROR, p.getMessage(), List.of(p.detail()));
        } catch (ApiException e) {
          if (!anyRecorded) {
            throw e;
          }
          answer = failed(e.status(), e.code(), e.getMessage(), e.details());
        } catch (RuntimeException e) {
          if (!anyRecorded) {
            throw e; // the error handling answers it, as for /v1/verify
          }
          // decisions of this request are recorded: they must reach the caller, so this item fails
          // alone, as the error handling would have answered the whole request
          ApiException answered = failures.answer(e);
          answer = failed(answered.status(), answered.code(), answered.getMessage(), answered.details());
        }
        if (answer.context() != null && answer.context().error() != null
            && answer.context().error().status() >= 500) {
          unavailable = answer;
        }
      }
      answers.add(answer);
      if (semantic.stopsAfter(answer.decision())) {
        break;
      }
    }
    return new EvaluationsBody(answers);
  }

  private DecisionBody single(Caller caller, JsonNode body) {
    VerificationRequest request;
    try {
      request = request(shape(
          member(body, null, body, "subject"),
          member(body, null, body, "action"),
          member(body, null, body, "resource"),
          member(body, null, body, "context")));
    } catch (Problem p) {
      throw badRequest(p);
    }
    return answer(verifier.verify(caller, request));
  }

  /** Evaluation {@code path} of a batch, with the top-level defaults of {@code body}, checked. */
  private static Shape item(JsonNode body, JsonNode item, String path) {
    if (!item.isObject()) {
      throw new Problem(path, item, "must be an object");
    }
    return shape(
        member(item, path, body, "subject"),
        member(item, path, body, "action"),
        member(item, path, body, "resource"),
        member(item, path, body, "context"));
  }

  /**
   * One of {@code subject}, {@code action}, {@code resource}, {@code context} as an evaluation ends
   * up with it.
   *
   * @param path where it came from, for error details: {@code evaluations[2].resource} when the
   *     evaluation carries it, {@code resource} when it is the top-level default
   * @param node the member, or null when neither the evaluation nor the defaults have it
   * @param defaultable whether the top-level default could have supplied it (batch items only)
   */
  private record Member(String path, JsonNode node, boolean defaultable) {}

  /**
   * The member {@code name} of {@code item}, falling back to the top-level default of {@code top}
   * (a whole-object replacement: an evaluation's {@code context} replaces the default context, it
   * is not merged with it). A JSON {@code null} counts as absent.
   */
  private static Member member(JsonNode item, String itemPath, JsonNode top, String name) {
    String ownPath = itemPath == null ? name : itemPath + "." + name;
    JsonNode own = item.get(name);
    if (!absent(own)) {
      return new Member(ownPath, own, false);
    }
    if (itemPath != null) {
      JsonNode fallback = top.get(name);
      if (!absent(fallback)) {
        return new Member(name, fallback, false);
      }
    }
    return new Member(ownPath, null, itemPath != null);
  }

  /**
   * One evaluation as AuthZEN's information model requires it: every member an object, every
   * required attribute a non-blank string.
   */
  private record Shape(
      Member subject,
      String subjectId,
      Member action,
      String actionName,
      Member resource,
      String resourceId,
      Member context,
      Map<String, Object> contextMap) {}

  /** Checks one evaluation against AuthZEN's information model; the first problem is thrown. */
  private static Shape shape(Member subject, Member action, Member resource, Member context) {
    JsonNode s = object(subject);
    requireString(subject, s, "type");
    String subjectId = requireString(subject, s, "id");
    optionalObject(subject, s, "properties");

    JsonNode a = object(action);
    String actionName = requireString(action, a, "name");
    optionalObject(action, a, "properties");

    JsonNode r = object(resource);
    String resourceType = requireString(resource, r, "type");
    String resourceId = resourceId(resourceType, requireString(resource, r, "id"));
    optionalObject(resource, r, "properties");

    Map<String, Object> contextMap = null;
    if (context.node() != null) {
      if (!context.node().isObject()) {
        throw new Problem(context.path(), context.node(), "must be an object");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) plain(context.node());
      contextMap = map;
    }
    return new Shape(subject, subjectId, action, actionName, resource, resourceId, context, contextMap);
  }

  /**
   * Maps one checked evaluation to the registry's request; a value the registry refuses (an action
   * or resource id outside its grammar, an invalid {@code context.amount}) is thrown as a problem
   * named by its JSON path.
   */
  private static VerificationRequest request(Shape shape) {
    Member subject = shape.subject();
    Member action = shape.action();
    Member resource = shape.resource();
    Member context = shape.context();
    try {
      return VerificationRequest.of(
          shape.subjectId(), shape.actionName(), shape.resourceId(), shape.contextMap());
    } catch (InvalidVerificationRequestException e) {
      throw switch (e.param()) {
        case "delegate_subject_id" -> new Problem(subject.path() + ".id", e.value(), e.reason());
        case "action" -> new Problem(action.path() + ".name", e.value(), e.reason());
        case "resource" -> new Problem(resource.path(), e.value(),
            e.reason() + " (the resource id is resource.type + \":\" + resource.id)");
        default -> new Problem(
            e.param().startsWith("context")
                ? context.path() + e.param().substring("context".length())
                : e.param(),
            e.value(), e.reason());
      };
    }
  }

  /**
   * The registry resource id of an AuthZEN resource: {@code id} when it already starts with {@code
   * type + ":"}, else {@code type + ":" + id}; so type {@code monco:project} and id {@code
   * proj_ABC123/zone:EG} is {@code monco:project:proj_ABC123/zone:EG}.
   */
  static String resourceId(String type, String id) {
    return id.startsWith(type + ":") ? id : type + ":" + id;
  }

  private static JsonNode object(Member member) {
    if (member.node() == null) {
      throw new Problem(member.path(), null,
          member.defaultable() ? "is required (in the evaluation or as a top-level default)" : "is required");
    }
    if (!member.node().isObject()) {
      throw new Problem(member.path(), member.node(), "must be an object");
    }
    return member.node();
  }

  private static String requireString(Member member, JsonNode object, String key) {
    JsonNode value = object.get(key);
    String path = member.path() + "." + key;
    if (absent(value)) {
      throw new Problem(path, null, "is required");
    }
    if (!value.isTextual()) {
      throw new Problem(path, value, "must be a string");
    }
    if (value.textValue().isBlank()) {
      throw new Problem(path, value.textValue(), "must not be blank");
    }
    return value.textValue();
  }

  private static void optionalObject(Member member, JsonNode object, String key) {
    JsonNode value = object.get(key);
    if (!absent(value) && !value.isObject()) {
      throw new Problem(member.path() + "." + key, value, "must be an object");
    }
  }

  private static Semantic semantic(JsonNode options) {
    if (absent(options)) {
      return Semantic.EXECUTE_ALL;
    }
    if (!options.isObject()) {
      throw badRequest(new Problem("options", options, "must be an object"));
    }
    JsonNode value = options.get("evaluations_semantic");
    if (absent(value)) {
      return Semantic.EXECUTE_ALL;
    }
    for (Semantic semantic : Semantic.values()) {
      if (value.isTextual() && semantic.wireName.equals(value.textValue())) {
        return semantic;
      }
    }
    throw badRequest(new Problem("options.evaluations_semantic", value,
        "must be one of execute_all, deny_on_first_deny, permit_on_first_permit"));
  }

  private static void requireObject(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw badRequest(new Problem("body", null, "must be a JSON object"));
    }
  }

  private static DecisionBody answer(VerificationService.Outcome outcome) {
    Decision d = outcome.decision();
    return new DecisionBody(
        d.isAllowed(),
        new DecisionContext(
            outcome.eventId(), d.reasonCodes(), d.mandateId(), d.constraintsRemaining(),
            outcome.escalation(), null));
  }

  private static DecisionBody failed(int status, String code, String message, List<ErrorDetail> details) {
    return new DecisionBody(
        false, new DecisionContext(null, null, null, null, null, new ErrorBody(status, code, message, details)));
  }

  private static ApiException badRequest(Problem problem) {
    return ApiException.badRequest(problem.getMessage(), problem.detail());
  }

  private static boolean absent(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode();
  }

  /**
   * What an error echoes of a member: a scalar as {@link #plain}; an object or array whose compact
   * JSON is short (at most 64 characters) as itself, a longer one as the start of its compact JSON
   * ({@link ErrorDetail#excerpt}). A batch repeats an inherited default's problem in every item, so
   * an echo must not grow with the value.
   */
  static Object echo(JsonNode node) {
    if (absent(node) || !node.isContainerNode()) {
      return plain(node);
    }
    String json = node.toString();
    return json.codePointCount(0, json.length()) > 64 ? ErrorDetail.excerpt(json) : plain(node);
  }

  /** A JSON tree as plain Java values: maps, lists, strings, numbers (as parsed), booleans, null. */
  static Object plain(JsonNode node) {
    if (absent(node)) {
      return null;
    }
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        map.put(field.getKey(), plain(field.getValue()));
      }
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      node.forEach(element -> list.add(plain(element)));
      return list;
    }
    if (node.isNumber()) {
      return node.numberValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    return node.asText();
  }

  /** Turns a problem's plain value back into JSON, to echo it as {@link #echo} does. */
  private static final ObjectMapper TREES = new ObjectMapper();

  /** One problem with the request, named by its JSON path (location {@code body}). */
  private static final class Problem extends RuntimeException {

    private final transient ErrorDetail detail;

    Problem(String param, Object value, String msg) {
      super(param + ": " + msg, null, false, false);
      // echoed short, as elsewhere: a batch repeats an inherited default's problem in every item;
      // an object or array (a context member as the request's parser gives it) as echo() does
      this.detail = new ErrorDetail(
          value instanceof Map<?, ?> || value instanceof Collection<?> ? echo(TREES.valueToTree(value)) : value,
          msg, param, "body");
    }

    /** A problem with a JSON member, echoed as {@link #echo} does. */
    Problem(String param, JsonNode value, String msg) {
      this(param, echo(value), msg);
    }

    ErrorDetail detail() {
      return detail;
    }
  }
}

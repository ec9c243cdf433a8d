package com.mandateregistry.api.mandate;

/**
 * A party of a mandate: the principal who grants authority, or the delegate who receives it.
 *
 * @param type what kind of party, for example {@code natural_person}, {@code organization} or
 *     {@code ai_agent}
 * @param subjectId the party's id in the tenant's namespace, for example {@code
 *     monco:agent:validate-agent-v2}
 */
public record Subject(String type, String subjectId) {}

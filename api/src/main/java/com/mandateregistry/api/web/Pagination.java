package com.mandateregistry.api.web;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The {@code pagination} object of 004 list responses. */
public record Pagination(
    @JsonProperty("next_cursor") String nextCursor, @JsonProperty("has_more") boolean hasMore) {}

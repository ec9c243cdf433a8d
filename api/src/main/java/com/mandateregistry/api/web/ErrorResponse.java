package com.mandateregistry.api.web;

import java.util.List;

/** The body of every 4xx and 5xx response: {@code {code, message, details[]}}. */
public record ErrorResponse(String code, String message, List<ErrorDetail> details) {}

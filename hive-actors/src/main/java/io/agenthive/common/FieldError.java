package io.agenthive.common;

/** One invalid field of a request: the field's path (e.g. {@code capabilities[0].name}) and why. */
public record FieldError(String field, String message) implements CborSerializable {}

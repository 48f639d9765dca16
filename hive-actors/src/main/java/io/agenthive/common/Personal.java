package io.agenthive.common;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record component that may hold a person's data (a task's input, an output, an error text
 * that can quote them). When its task names a subject, such a value is sealed with the subject's
 * key on its way into the journal (the task package's sealing), so destroying the key erases it
 * everywhere the journal is read. Only {@code String} and {@code JsonNode} components may carry it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Personal {}

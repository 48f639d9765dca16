package io.agenthive.subject;

import java.util.regex.Pattern;

/** What a subject is written as: an id (a customer number, a user id), never a person's name. */
public final class SubjectId {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@+-]{0,127}");

  /** The rule, as a field error says it. */
  public static final String RULE =
      "must be 1-128 letters, digits, '.', ':', '@', '+', '_' or '-', first a letter or digit";

  private SubjectId() {}

  public static boolean valid(String subject) {
    return subject != null && VALID.matcher(subject).matches();
  }
}

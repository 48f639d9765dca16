package io.agenthive.common;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Why an actor refused a request, as the error of a {@code StatusReply}: one subclass per kind, so
 * the boundary maps a refusal by its type, never by its message text. Each has a public constructor
 * taking the message. Between nodes a refusal travels as CBOR with its type and message only (bound
 * in reference.conf): Throwable's own fields are not Jackson's to read. No stack trace: a refusal
 * is an answer, not a fault.
 */
@JsonAutoDetect(
    fieldVisibility = Visibility.NONE,
    getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE)
public class Refusal extends RuntimeException {
  protected Refusal(String message) {
    super(message, null, false, false);
  }

  @JsonProperty("message")
  @Override
  public String getMessage() {
    return super.getMessage();
  }

  /** The entity the request names does not exist. */
  public static final class NotFound extends Refusal {
    @JsonCreator
    public NotFound(@JsonProperty("message") String message) {
      super(message);
    }
  }

  /** The request does not fit the entity's current state. */
  public static final class Conflict extends Refusal {
    @JsonCreator
    public Conflict(@JsonProperty("message") String message) {
      super(message);
    }
  }

  /** The caller is not one the request may come from (an approval names its own approvers). */
  public static final class Forbidden extends Refusal {
    @JsonCreator
    public Forbidden(@JsonProperty("message") String message) {
      super(message);
    }
  }

  /** The pending queue is at its bound. */
  public static final class QueueFull extends Refusal {
    @JsonCreator
    public QueueFull(@JsonProperty("message") String message) {
      super(message);
    }
  }

  /** Something the request needs did not answer in time. */
  public static final class Unavailable extends Refusal {
    @JsonCreator
    public Unavailable(@JsonProperty("message") String message) {
      super(message);
    }
  }
}

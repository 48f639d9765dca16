package io.agenthive.common;

/**
 * Why an actor refused a request, as the error of a {@code StatusReply}: one subclass per kind,
 * so the boundary maps a refusal by its type, never by its message text. Each has a public
 * constructor taking the message, which is how Akka rebuilds an error sent between nodes. No
 * stack trace: a refusal is an answer, not a fault.
 */
public class Refusal extends RuntimeException {
  protected Refusal(String message) {
    super(message, null, false, false);
  }

  /** The entity the request names does not exist. */
  public static final class NotFound extends Refusal {
    public NotFound(String message) {
      super(message);
    }
  }

  /** The request does not fit the entity's current state. */
  public static final class Conflict extends Refusal {
    public Conflict(String message) {
      super(message);
    }
  }

  /** The pending queue is at its bound. */
  public static final class QueueFull extends Refusal {
    public QueueFull(String message) {
      super(message);
    }
  }

  /** Something the request needs did not answer in time. */
  public static final class Unavailable extends Refusal {
    public Unavailable(String message) {
      super(message);
    }
  }
}

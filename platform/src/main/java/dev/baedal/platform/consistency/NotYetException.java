package dev.baedal.platform.consistency;

import dev.baedal.platform.events.Refusal;
import dev.baedal.platform.http.ProblemException;

/**
 * A command refused only because this context has not yet applied an event that is already on its
 * way (the customer saw DELIVERED on the read side, the order context has not heard of the delivery
 * yet). {@link CatchUp} tries such a command again as the context catches up, for a bounded time,
 * before the refusal reaches the caller.
 */
public final class NotYetException extends ProblemException {
  private static final long serialVersionUID = 1L;

  public NotYetException(int status, String title, String detail) {
    super(status, title, detail);
  }

  /**
   * Whether {@code error} says "not yet": this exception, or a domain refusal that {@linkplain
   * Refusal#mayPass() may pass}.
   */
  public static boolean is(Throwable error) {
    return error instanceof NotYetException || error instanceof Refusal r && r.mayPass();
  }

  /** 404: the thing is not known here yet. */
  public static NotYetException notFound(String detail) {
    return new NotYetException(404, "Not Found", detail);
  }

  /** 409: the thing is not in the state the command needs yet. */
  public static NotYetException conflict(String detail) {
    return new NotYetException(409, "Conflict", detail);
  }
}

package dev.baedal.platform.events;

/**
 * What an aggregate answers instead of a {@link Decision}: the command is refused, in the domain's
 * own words. Each context names its refusals as subclasses ({@code OrderConflict}, {@code
 * DeliveryNotFound}); none of them knows HTTP. The platform answers them where the context is
 * addressed: a {@link Kind#CONFLICT} as a {@code 409} and a {@link Kind#NOT_FOUND} as a {@code 404}
 * problem whose {@code detail} is the message ({@code Problems.asProblem}).
 *
 * <p>A refusal that {@link #mayPass() may pass} is one the context may give only because it has not
 * heard yet of what makes the command possible (the store finished cooking, say): {@code CatchUp}
 * tries such a command again while the context catches up, and only then does the refusal reach the
 * caller.
 */
public abstract class Refusal extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What is refused, as a client tells it apart. */
  public enum Kind {
    /** The thing exists, but its state does not allow the command. */
    CONFLICT,
    /** No such thing, or not the caller's. */
    NOT_FOUND
  }

  private final Kind kind;
  private final boolean mayPass;

  protected Refusal(Kind kind, String detail, boolean mayPass) {
    super(detail, null, false, false);
    this.kind = kind;
    this.mayPass = mayPass;
  }

  public Kind kind() {
    return kind;
  }

  /** Whether the refusal may be out of date, and the command worth a retry once caught up. */
  public boolean mayPass() {
    return mayPass;
  }
}

package dev.baedal.platform.events;

import java.util.List;

/**
 * What a pure state transition decided: the aggregate's next state and the events that record the
 * change (none when the command or event changed nothing).
 */
public record Decision<T>(T next, List<CloudEvent> events) {
  public Decision {
    events = List.copyOf(events);
  }

  public static <T> Decision<T> of(T next, CloudEvent... events) {
    return new Decision<>(next, List.of(events));
  }

  /** Nothing changed (e.g. a redelivered or out-of-date event). */
  public static <T> Decision<T> unchanged(T same) {
    return new Decision<>(same, List.of());
  }

  public boolean changed() {
    return !events.isEmpty();
  }
}

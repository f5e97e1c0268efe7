package dev.baedal.platform.kafka;

import dev.baedal.platform.metrics.Meters;
import io.micrometer.core.instrument.Counter;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which event types a consumer handles, out of those the published language declares. A record of a
 * declared type the consumer does not need is passed over quietly; one of an undeclared type (a
 * newer producer's, or a typo) is passed over on purpose: counted in {@code
 * baedal.consumer.unknown-types{group,type}} and logged the first time the consumer sees the type.
 * Either way its offset is committed with the others': it is not waited for, retried or
 * dead-lettered. Used from the consumer's context only.
 */
final class TypeFilter {
  private static final Logger log = LoggerFactory.getLogger(TypeFilter.class);

  /** Undeclared types told apart in the meter; past them, they are counted as {@code other}. */
  static final int MAX_UNKNOWN_TAGS = 32;

  private final String group;
  private final Set<String> handled;
  private final Set<String> known;
  private final Map<String, Counter> unknown = new HashMap<>();

  /**
   * @param handled the types handled (empty: every type)
   * @param known every declared type, handled here or not (empty: not checked)
   */
  TypeFilter(String group, Set<String> handled, Set<String> known) {
    this.group = group;
    this.handled = Set.copyOf(handled);
    this.known = Set.copyOf(known);
  }

  /** Whether every type is handled (nothing to filter). */
  boolean all() {
    return handled.isEmpty();
  }

  /** Whether events of {@code type} are handled; counts an undeclared one. */
  boolean handles(String type) {
    if (handled.isEmpty() || handled.contains(type)) {
      return true;
    }
    if (!known.isEmpty() && !known.contains(type)) {
      skipUnknown(type);
    }
    return false;
  }

  /** How many records of the undeclared {@code type} were skipped. */
  double skipped(String type) {
    Counter counter = unknown.get(type);
    return counter == null ? 0 : counter.count();
  }

  private void skipUnknown(String type) {
    Counter counter = unknown.get(type);
    if (counter == null) {
      boolean told = unknown.size() < MAX_UNKNOWN_TAGS;
      counter =
          Counter.builder("baedal.consumer.unknown-types")
              .description("records of an event type the published language does not declare")
              .tag("group", group)
              .tag("type", told ? type : "other")
              .register(Meters.registry());
      if (told) {
        unknown.put(type, counter);
        log.warn("consumer {}: skipping events of undeclared type '{}'", group, type);
      }
    }
    counter.increment();
  }
}

package dev.baedal.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baedal.platform.metrics.Meters;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The unknown-type path of a consumer: an undeclared type is skipped on purpose, and counted. */
class TypeFilterTest {
  private static final Set<String> KNOWN = Set.of("order.placed", "order.cancelled", "store.x");

  @Test
  void anUndeclaredTypeIsSkippedCountedAndToldApartFromADeclaredOneNotHandled() {
    String group = "g-" + UUID.randomUUID();
    TypeFilter filter = new TypeFilter(group, Set.of("order.placed"), KNOWN);

    assertThat(filter.handles("order.placed")).isTrue();
    // declared, not handled here: passed over quietly
    assertThat(filter.handles("order.cancelled")).isFalse();
    assertThat(filter.skipped("order.cancelled")).isZero();
    // undeclared: passed over, counted each time
    assertThat(filter.handles("order.teleported")).isFalse();
    assertThat(filter.handles("order.teleported")).isFalse();
    assertThat(filter.skipped("order.teleported")).isEqualTo(2);
    assertThat(
            Meters.registry()
                .get("baedal.consumer.unknown-types")
                .tag("group", group)
                .tag("type", "order.teleported")
                .counter()
                .count())
        .isEqualTo(2);
  }

  @Test
  void manyUndeclaredTypesShareOneTagPastTheLimit() {
    String group = "g-" + UUID.randomUUID();
    TypeFilter filter = new TypeFilter(group, Set.of("order.placed"), KNOWN);
    for (int i = 0; i < TypeFilter.MAX_UNKNOWN_TAGS + 5; i++) {
      assertThat(filter.handles("junk." + i)).isFalse();
    }
    assertThat(
            Meters.registry()
                .get("baedal.consumer.unknown-types")
                .tag("group", group)
                .tag("type", "other")
                .counter()
                .count())
        .isEqualTo(5);
  }

  @Test
  void withoutAPublishedLanguageOrAFilterNothingIsCounted() {
    TypeFilter unchecked = new TypeFilter("g-" + UUID.randomUUID(), Set.of("a.b"), Set.of());
    assertThat(unchecked.handles("c.d")).isFalse();
    assertThat(unchecked.skipped("c.d")).isZero();

    TypeFilter all = new TypeFilter("g-" + UUID.randomUUID(), Set.of(), KNOWN);
    assertThat(all.all()).isTrue();
    assertThat(all.handles("anything.at-all")).isTrue();
  }
}

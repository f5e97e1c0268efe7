package dev.baedal.contract.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baedal.contract.EventType;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** docs/api.md ("The events' data") lists, for every event type, the fields its record writes. */
class DocumentedPayloadsTest {
  private static final Path DOC = Path.of("..", "docs", "api.md");
  private static final Pattern CODE = Pattern.compile("`([^`]*)`");

  /** What "…base" stands for: for delivery events, and for order and store events. */
  private static final List<String> DELIVERY_BASE = List.of("orderId", "storeId", "customerId");

  private static final List<String> ORDER_BASE =
      List.of("orderId", "customerId", "storeId", "storeName", "storeNameKo");

  @Test
  @DisplayName("the documented fields of each event are the ones its record puts on the wire")
  void documentedAsWritten() throws IOException {
    Map<EventType, Set<String>> documented = documented(Files.readAllLines(DOC));
    assertThat(documented.keySet()).containsExactlyInAnyOrder(EventType.values());
    UUID order = UUID.randomUUID();
    documented.forEach(
        (type, fields) -> {
          JsonObject wire = Samples.of(type, order).toJson();
          if (type == EventType.ORDER_PLACED) {
            // documented "(and its null fields)": the rest of the order, null when placed
            assertThat(wire.fieldNames()).as(type.wire()).containsAll(fields);
            wire.fieldNames().stream()
                .filter(f -> !fields.contains(f))
                .forEach(f -> assertThat(wire.getValue(f)).as(type.wire() + "." + f).isNull());
          } else if (type == EventType.NOTIFICATION_SENT) {
            // documented "(and error when failed)"
            Set<String> expected = new LinkedHashSet<>(fields);
            expected.remove("error");
            assertThat(wire.fieldNames()).as(type.wire()).isEqualTo(expected);
          } else {
            assertThat(wire.fieldNames()).as(type.wire()).isEqualTo(fields);
          }
        });
  }

  /** The table's rows: each type named in a row's first cell, with the fields of its second. */
  private static Map<EventType, Set<String>> documented(List<String> lines) {
    Map<EventType, Set<String>> out = new EnumMap<>(EventType.class);
    boolean inSection = false;
    for (String line : lines) {
      if (line.startsWith("### ")) {
        inSection = line.equals("### The events' data");
      }
      String[] cells = line.split("\\|");
      if (!inSection || cells.length < 3 || !cells[1].contains("`")) {
        continue;
      }
      Matcher types = CODE.matcher(cells[1]);
      while (types.find()) {
        EventType type = EventType.find(types.group(1)).orElseThrow();
        Set<String> fields = new LinkedHashSet<>();
        if (cells[2].contains("…base")) {
          fields.addAll(type.topic().equals("delivery-events") ? DELIVERY_BASE : ORDER_BASE);
        }
        fields.addAll(fields(cells[2]));
        out.put(type, fields);
      }
    }
    return out;
  }

  /** The fields a cell names in code: {@code `a, b {x, y}, c [..]`} as {@code [a, b, c]}. */
  private static Set<String> fields(String cell) {
    Set<String> fields = new LinkedHashSet<>();
    Matcher code = CODE.matcher(cell);
    while (code.find()) {
      String flat = code.group(1).replaceAll("\\{[^}]*}", "").replaceAll("\\[[^]]*]", "");
      for (String f : flat.split(",")) {
        if (!f.isBlank()) {
          fields.add(f.trim());
        }
      }
    }
    return fields;
  }
}

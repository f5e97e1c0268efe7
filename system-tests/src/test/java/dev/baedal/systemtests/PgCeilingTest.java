package dev.baedal.systemtests;

import static dev.baedal.systemtests.TestSystem.GOOD_CARD;
import static dev.baedal.systemtests.TestSystem.chickenOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.baedal.devinfra.TestInfra;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench/pg-ceiling} against a real PostgreSQL whose schemas a whole node created with its
 * Flyway migrations: it measures both modes on scratch copies and leaves the real tables alone.
 */
class PgCeilingTest {
  private static final Pattern RESULT =
      Pattern.compile(
          "^ceiling (placement|full): ([0-9]+(?:\\.[0-9]+)?) orders/s \\(pgbench TPS, 2 clients, 2 s",
          Pattern.MULTILINE);

  private static TestSystem system;

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    system = TestSystem.start();
    // one real order, so that the real tables the scratch copies are made from hold its rows
    String kim = system.login("kim");
    String orderId = system.placeAs(kim, chickenOrder(GOOD_CARD));
    system.awaitStatus(orderId, kim, "PAID");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  @DisplayName(
      "pg-ceiling prints the pgbench TPS of placement and full, drops its scratch schemas and changes no real table")
  void measuresBothModesOnScratchCopies() throws Exception {
    assumeTrue(
        onPath("pgbench") && onPath("psql"),
        "pgbench and psql are not on the PATH (Debian: apt-get install postgresql-15)");
    Map<String, Long> before = quietRowCounts();
    assertThat(before.get("order_svc.orders")).isOne();
    Path json = tmp.resolve("ceiling.json");

    Result r =
        run(
            "--url",
            system.settings.string("pg.url"),
            "--clients",
            "2",
            "--jobs",
            "1",
            "--duration",
            "2",
            "--json",
            json.toString());

    assertThat(r.exitCode()).as(r.output()).isZero();
    Map<String, Double> printed = new TreeMap<>();
    Matcher m = RESULT.matcher(r.output());
    while (m.find()) {
      printed.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    assertThat(printed).as(r.output()).containsOnlyKeys("placement", "full");
    assertThat(printed.values()).allSatisfy(tps -> assertThat(tps).isPositive());
    JsonObject written = new JsonObject(Files.readString(json));
    assertThat(written.getDouble("placement")).isEqualTo(printed.get("placement"));
    assertThat(written.getDouble("full")).isEqualTo(printed.get("full"));
    assertThat(written.getInteger("clients")).isEqualTo(2);

    assertThat(system.count("select count(*) from pg_namespace where nspname like 'ceiling\\_%'"))
        .isZero();
    assertThat(rowCounts()).isEqualTo(before);
  }

  @Test
  @DisplayName("pg-ceiling refuses a database without the contexts' schemas and says what to do")
  void refusesADatabaseWithoutTheSchemas() throws Exception {
    assumeTrue(
        onPath("pgbench") && onPath("psql"),
        "pgbench and psql are not on the PATH (Debian: apt-get install postgresql-15)");
    String empty = TestInfra.freshDatabase();

    Result r = run("--url", empty, "--clients", "2", "--jobs", "1", "--duration", "2");

    assertThat(r.exitCode()).as(r.output()).isNotZero();
    assertThat(r.output()).contains("the real tables are absent").contains("baedal dev");
    assertThat(r.output()).doesNotContain("ceiling placement:");
  }

  @Test
  @DisplayName("the full script starts with the placement script's statements, verbatim")
  void fullScriptRepeatsThePlacement() throws IOException {
    Path bench = script().getParent();
    List<String> placement = statements(bench.resolve("one-order-placement.sql"));
    List<String> full = statements(bench.resolve("one-order-full.sql"));

    assertThat(placement).hasSize(20);
    assertThat(full.subList(0, placement.size())).isEqualTo(placement);
    assertThat(full).hasSizeGreaterThan(placement.size() + 40);
  }

  // ---- helpers ----

  record Result(int exitCode, String output) {}

  private Result run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(script().toString());
    command.addAll(List.of(args));
    Path log = tmp.resolve("pg-ceiling-" + System.nanoTime() + ".out");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.environment().remove("BAEDAL_PG_URL");
    Process p = pb.start();
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("pg-ceiling did not finish: " + Files.readString(log));
    }
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /** bench/pg-ceiling, found from the module directory the tests run in upwards. */
  private static Path script() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("bench").resolve("pg-ceiling");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "bench/pg-ceiling not found above " + Path.of("").toAbsolutePath());
  }

  private static boolean onPath(String tool) {
    String path = System.getenv("PATH");
    return path != null
        && Stream.of(path.split(File.pathSeparator))
            .filter(dir -> !dir.isEmpty())
            .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
  }

  /** The SQL commands and pgbench meta-commands of a script, comments and blank lines left out. */
  private static List<String> statements(Path file) throws IOException {
    return Files.readAllLines(file).stream()
        .filter(line -> !line.isBlank() && !line.startsWith("--"))
        .toList();
  }

  /** Row counts of every table of the contexts' schemas, once the node has stopped writing. */
  private static Map<String, Long> quietRowCounts() {
    AtomicReference<Map<String, Long>> last = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              Map<String, Long> now = rowCounts();
              return now.equals(last.getAndSet(now));
            });
    return last.get();
  }

  private static Map<String, Long> rowCounts() {
    Map<String, Long> counts = new TreeMap<>();
    for (Row t :
        system.rows(
            "select n.nspname, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                + " where c.relkind = 'r' and n.nspname like '%\\_svc' and n.nspname not like 'ceiling\\_%'")) {
      String table = t.getString(0) + "." + t.getString(1);
      counts.put(table, system.count("select count(*) from " + table));
    }
    return counts;
  }
}

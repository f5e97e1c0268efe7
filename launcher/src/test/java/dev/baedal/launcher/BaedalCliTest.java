package dev.baedal.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baedal.platform.Settings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** The command line's help, list of commands and ready banner, without starting anything. */
class BaedalCliTest {

  /** What one {@code baedal <args>} said and returned. */
  private record Result(int exit, String out, String err) {}

  private static Result execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Baedal.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  static List<String> commands() {
    return new ArrayList<>(Baedal.commandLine().getSubcommands().keySet());
  }

  @Test
  @DisplayName("the commands include dev, run, infra, kafka, bench, replay and settings")
  void everyCommandIsThere() {
    assertThat(commands())
        .contains("dev", "run", "infra", "kafka", "bench", "replay", "settings", "help");
  }

  @ParameterizedTest(name = "baedal {0} --help and -h print its usage and exit 0")
  @MethodSource("commands")
  void helpOnEveryCommand(String command) {
    for (String flag : List.of("--help", "-h")) {
      Result r = execute(command, flag);
      assertThat(r.exit()).as("exit code of baedal %s %s: %s", command, flag, r.err()).isZero();
      assertThat(r.err()).as("stderr of baedal %s %s", command, flag).isEmpty();
      assertThat(r.out()).contains("Usage: baedal " + command, "-h, --help");
    }
  }

  @Test
  @DisplayName("baedal run --help does not ask for the services it would otherwise need")
  void runHelpNeedsNoService() {
    Result r = execute("run", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("SERVICE...", "--cluster").doesNotContain("Missing required");
  }

  @Test
  @DisplayName("a mistyped option still fails with exit code 2 and says what is wrong on stderr")
  void unknownOptionFails() {
    Result r = execute("dev", "--hepl");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("Unknown option: '--hepl'", "Possible solutions: --help");
  }

  @Test
  @DisplayName("every command answers --version with the version")
  void versionEverywhere() {
    for (String command : List.of("dev", "infra", "bench")) {
      Result r = execute(command, "--version");
      assertThat(r.exit()).isZero();
      assertThat(r.out()).startsWith("baedal ");
    }
  }

  @Test
  @DisplayName("the top-level help lists every command, each with whole sentences, none cut")
  void commandListHasWholeSentences() {
    Result r = execute("--help");
    assertThat(r.exit()).isZero();
    Map<String, String> listed = commandList(r.out());
    assertThat(listed.keySet()).containsExactlyInAnyOrderElementsOf(commands());
    listed.forEach(
        (command, summary) ->
            assertThat(summary)
                .as("the summary of %s", command)
                .matches("\\p{Lu}.*[.!?]")
                .doesNotContain("  "));
  }

  /** The "Commands:" section of a usage text: name to its summary, continuation lines joined. */
  private static Map<String, String> commandList(String usage) {
    Map<String, String> entries = new LinkedHashMap<>();
    String current = null;
    boolean inList = false;
    for (String line : usage.split("\\R")) {
      if (line.equals("Commands:")) {
        inList = true;
      } else if (inList && line.matches("  \\S.*")) {
        String[] parts = line.strip().split("\\s+", 2);
        current = parts[0];
        entries.put(current, parts.length > 1 ? parts[1].strip() : "");
      } else if (inList && current != null && line.matches(" {3,}\\S.*")) {
        entries.merge(current, line.strip(), (a, b) -> a + " " + b);
      } else if (inList && !line.isBlank()) {
        break;
      }
    }
    return entries;
  }

  @Test
  @DisplayName("a summary is the first sentence, and \"e.g.\" does not end it")
  void summaryIsTheFirstSentence() {
    CommandLine.Model.CommandSpec spec = CommandLine.Model.CommandSpec.create();
    spec.usageMessage()
        .description(
            "Load it like real clients: customers order, stores",
            "accept, e.g. fast. Prints orders/s and",
            "more.");
    assertThat(Baedal.summary(spec))
        .isEqualTo("Load it like real clients: customers order, stores accept, e.g. fast.");
    spec.usageMessage().header("One line.");
    assertThat(Baedal.summary(spec)).isEqualTo("One line.");
  }

  @Test
  @DisplayName("the ready banner names each part that is not running and how to fix it")
  void bannerNamesWhatIsMissing() {
    assertThat(DevCommand.banner("http://127.0.0.1:8080/", 7.25, Map.of()))
        .containsExactly("Baedal is ready at http://127.0.0.1:8080/ in 7.3 s (Ctrl-C to stop)");

    List<String> banner =
        DevCommand.banner(
            "http://127.0.0.1:8080/",
            7.25,
            Map.of(
                "notifier",
                new NotifierProcess.NotRunning(
                    "/usr/bin/python3 cannot import confluent_kafka",
                    "apt-get install python3-confluent-kafka")));
    assertThat(banner)
        .containsExactly(
            "Baedal is ready at http://127.0.0.1:8080/ in 7.3 s, without the notifier (Ctrl-C to"
                + " stop)",
            "  ✗ notifier is not running: /usr/bin/python3 cannot import confluent_kafka",
            "    fix: apt-get install python3-confluent-kafka; then restart baedal dev");
  }

  @Test
  @DisplayName(
      "baedal infra's export line points at what it started, the PostgreSQL password and the JWT"
          + " key read from their files")
  void infraExportLine() {
    Settings configured = Settings.defaults().with("data.dir", "/tmp/baedal data");
    Settings started =
        configured
            .with("pg.url", "postgresql://postgres:s3cretPassw0rd-xyz@127.0.0.1:15433/baedal")
            .with("kafka", "127.0.0.1:19093");
    assertThat(InfraCommand.exports(configured, started))
        .isEqualTo(
            "export BAEDAL_PG_URL=\"postgresql://postgres:$(cat '/tmp/baedal data/pg.password')"
                + "@127.0.0.1:15433/baedal\""
                + " BAEDAL_KAFKA=127.0.0.1:19093"
                + " BAEDAL_JWT_SECRET=\"$(cat '/tmp/baedal data/jwt.secret')\""
                + " BAEDAL_PAYMENT_CARD_KEY=\"$(cat '/tmp/baedal data/card.key')\"")
        .doesNotContain("s3cret");
    Settings withKeys =
        configured.with("jwt.secret", "k".repeat(40)).with("payment.card-key", "c".repeat(40));
    assertThat(InfraCommand.exports(withKeys, started)).doesNotContain("JWT", "CARD");
  }
}

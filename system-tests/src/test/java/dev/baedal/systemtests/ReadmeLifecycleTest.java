package dev.baedal.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The README's "whole lifecycle with curl" is a block of shell a user pastes: this runs that very
 * block with bash (curl and python3 as a user has them) against a fresh system, and checks that the
 * order went all the way and the WebSocket watcher printed every status live, in order.
 */
class ReadmeLifecycleTest {
  private static final Path README = Path.of("..", "README.md");
  private static final String HEADING = "## The whole lifecycle with curl";
  private static final String BASE_LINE = "B=http://127.0.0.1:8080";
  private static final List<String> STATUSES =
      List.of(
          "PAID",
          "ACCEPTED",
          "COOKING",
          "RIDER_ASSIGNED",
          "COOKED",
          "PICKED_UP",
          "DELIVERED",
          "COMPLETED");

  private static TestSystem system;

  @BeforeAll
  static void start() {
    assumeTrue(onPath("curl") && onPath("python3"), "the README's commands need curl and python3");
    system = TestSystem.start();
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.close();
    }
  }

  @Test
  @DisplayName(
      "the README's lifecycle commands take an order to COMPLETED and the watcher prints every status live")
  void readmeLifecycle() throws IOException, InterruptedException {
    String block = block(Files.readString(README));
    assertThat(block).contains(BASE_LINE).doesNotContain("uuidgen");
    String script = block.replace(BASE_LINE, "B=" + system.base);

    Process bash = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
    bash.getOutputStream().close();
    boolean ended = bash.waitFor(120, TimeUnit.SECONDS);
    String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!ended) {
      bash.descendants().forEach(ProcessHandle::destroyForcibly);
      bash.destroyForcibly();
    }
    assertThat(ended).as("the block ended within 120 s:\n" + out).isTrue();
    assertThat(bash.exitValue()).as(out).isZero();

    assertThat(out).as("no command was refused").doesNotContain("baedal.dev/problems/");
    assertThat(out).containsPattern("(?m)^order [0-9a-f-]{36}$");
    List<String> live =
        out.lines()
            .filter(l -> l.startsWith("live: "))
            .map(l -> l.substring("live: ".length()).split(" ")[0])
            .toList();
    assertThat(live).as(out).isNotEmpty().endsWith("COMPLETED");
    // connected before the store acted, then every status once, in order
    assertThat(live).isEqualTo(STATUSES);

    String last = out.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElseThrow();
    JsonObject view = new JsonObject(last);
    assertThat(view.getString("status")).isEqualTo("COMPLETED");
    assertThat(view.getJsonArray("timeline")).hasSize(STATUSES.size());
    assertThat(view.getJsonObject("payment").getInteger("amount")).isEqualTo(40500);
  }

  /** The first bash block after the lifecycle heading. */
  private static String block(String readme) {
    int at = readme.indexOf(HEADING);
    assertThat(at).as("the README has the section " + HEADING).isNotNegative();
    int open = readme.indexOf("```bash\n", at);
    int close = readme.indexOf("\n```", open + 8);
    return readme.substring(open + "```bash\n".length(), close + 1);
  }

  private static boolean onPath(String command) {
    try {
      Process p = new ProcessBuilder("sh", "-c", "command -v " + command).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}

package dev.baedal.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baedal.launcher.Baedal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line from the fat jar, as a user runs it: help, and {@code baedal infra}. */
class BaedalCliIT {
  private final List<JarProcess> processes = new ArrayList<>();

  @AfterEach
  void stopAll() {
    processes.forEach(JarProcess::close);
    processes.forEach(p -> System.out.println(p.output()));
  }

  @Test
  @DisplayName("java -jar baedal.jar <command> --help prints the command's usage and exits 0")
  void helpFromTheJar(@TempDir Path dir) throws Exception {
    for (String command : Baedal.commandLine().getSubcommands().keySet()) {
      ProcessBuilder pb =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-jar",
                  JarProcess.JAR.toAbsolutePath().toString(),
                  command,
                  "--help")
              .directory(dir.toFile())
              .redirectErrorStream(true);
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("baedal %s --help ends", command).isTrue();
      assertThat(p.exitValue()).as("exit code of baedal %s --help: %s", command, out).isZero();
      assertThat(out).contains("Usage: baedal " + command, "-h, --help");
    }
  }

  @Test
  @DisplayName(
      "baedal infra prints an export line; two `baedal run --cluster` JVMs started with it are"
          + " ready and take a paid order; Ctrl-C stops infra cleanly")
  void infraForClusteredRuns(@TempDir Path dir) throws Exception {
    Map<String, String> infraEnv =
        Map.of(
            "BAEDAL_DATA_DIR", dir.resolve("data").toString(),
            "BAEDAL_DEV_PG_PORT", String.valueOf(JarProcess.freePort()),
            "BAEDAL_DEV_KAFKA_PORT", String.valueOf(JarProcess.freePort()));
    JarProcess infra =
        JarProcess.start("baedal infra", dir, infraEnv, "export BAEDAL_PG_URL=", "infra");
    processes.add(infra);
    String exports =
        infra.output().lines().filter(l -> l.startsWith("export ")).findFirst().orElseThrow();
    assertThat(exports)
        .contains(
            "BAEDAL_PG_URL=\"postgresql://postgres:$(cat '",
            "@127.0.0.1:" + infraEnv.get("BAEDAL_DEV_PG_PORT"),
            "BAEDAL_KAFKA=127.0.0.1:" + infraEnv.get("BAEDAL_DEV_KAFKA_PORT"),
            "BAEDAL_JWT_SECRET=",
            "BAEDAL_PAYMENT_CARD_KEY=");

    // what the README says to do: paste the line into the shell of each JVM
    int[] busPorts = {JarProcess.freePort(), JarProcess.freePort()};
    Map<String, String> env = new HashMap<>();
    String run = UUID.randomUUID().toString();
    env.put("BAEDAL_CLUSTER_NAME", "infra-" + run);
    env.put(
        "BAEDAL_CLUSTER_MEMBERS", "127.0.0.1:%d,127.0.0.1:%d".formatted(busPorts[0], busPorts[1]));
    ClusterMember front = member(dir, env, exports, busPorts[0], "gateway", "order", "payment");
    ClusterMember back =
        member(dir, env, exports, busPorts[1], "store", "rider", "query", "notify");
    for (ClusterMember m : List.of(front, back)) {
      new Api(m.base(), m.management()).awaitReady();
    }

    Api api = new Api(front.base());
    String kim = api.login("kim");
    String orderId = api.placeAs(kim, Api.chickenOrder(Api.GOOD_CARD));
    // the store context runs in the other JVM and hears of the order through Kafka
    api.awaitStatus(orderId, kim, "PAID");
    String owner = api.login("store-1");
    api.untilOk(() -> api.post("/api/store/orders/" + orderId + "/accept", owner, null));
    api.awaitStatus(orderId, kim, "ACCEPTED");

    for (JarProcess p : processes.subList(1, processes.size())) {
      assertThat(p.stop()).contains("stopped");
    }
    assertThat(infra.stop()).contains("stopping...", "stopped");
  }

  private ClusterMember member(
      Path dir, Map<String, String> common, String exports, int busPort, String... services)
      throws Exception {
    ClusterMember m = ClusterMember.start(dir, common, exports, busPort, services);
    processes.add(m.process());
    return m;
  }
}

package dev.baedal.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ProcessesTest {
  @Test
  @DisplayName("a process started after the bench looked is counted (a backend a pool opens late)")
  void countsProcessesStartedLater() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self")), "CPU is read from /proc");
    long self = ProcessHandle.current().pid();
    Map<String, Supplier<List<Long>>> groups =
        Map.of("busy", () -> Processes.children(self, "yes"));
    Processes processes = Processes.of(groups);
    assertThat(processes.cpuSeconds()).containsEntry("busy", 0.0);

    Process busy =
        new ProcessBuilder("yes").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(processes.cpuSeconds().get("busy")).isGreaterThan(0.2));
      assertThat(processes.pids()).containsEntry("busy", List.of(busy.pid()));
    } finally {
      busy.destroy();
      busy.waitFor();
    }
  }
}

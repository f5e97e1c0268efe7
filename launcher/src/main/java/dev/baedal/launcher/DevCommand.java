package dev.baedal.launcher;

import dev.baedal.platform.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
    name = "dev",
    description = {
      "Start everything in one process, with its own PostgreSQL and Kafka.",
      "An embedded PostgreSQL and an in-process Kafka broker keep their data under"
          + " BAEDAL_DATA_DIR (default ./.baedal); every service, the web UI on"
          + " BAEDAL_HTTP_PORT (default 8080) and the Python notifier run beside them."
          + " BAEDAL_PG_URL / BAEDAL_KAFKA use external servers instead. It says when everything is ready, and names any part that is not"
          + " running with the command that fixes it. Ctrl-C stops it cleanly."
    })
final class DevCommand implements Callable<Integer> {
  @CommandLine.Mixin Baedal.ConfigOption options = new Baedal.ConfigOption();

  @Override
  public Integer call() throws InterruptedException {
    long started = System.nanoTime();
    Settings settings = options.load();
    // stop whatever has started, also when Ctrl-C comes before everything is ready
    Running running = Running.stopOnExit();
    running.infra = new LocalInfra();
    settings = running.infra.start(settings, Baedal::progress);
    Node node = Baedal.await(Node.start(settings, List.of(Service.values()), Baedal::progress));
    running.node = node;
    Baedal.progress(
        String.format(
            "%-8s /health/ready and /metrics on http://%s:%d/",
            "ops", settings.string("management.host"), node.managementPort()));
    Baedal.await(node.awaitReady(60_000));
    running.notifier = new NotifierProcess(settings);
    List<String> said = new ArrayList<>();
    if (running.notifier.start(said::add)) {
      said.forEach(Baedal::progress);
    }
    Map<String, NotifierProcess.NotRunning> down = new LinkedHashMap<>();
    running.notifier.notRunning().ifPresent(why -> down.put("notifier", why));
    banner(
            "http://" + settings.string("http.host") + ":" + node.httpPort() + "/",
            (System.nanoTime() - started) / 1e9,
            down)
        .forEach(System.out::println);
    new CountDownLatch(1).await();
    return 0;
  }

  /**
   * The lines that say it is ready: where, how fast, and each part that is not running, why, and
   * the command that fixes it.
   */
  static List<String> banner(
      String url, double seconds, Map<String, NotifierProcess.NotRunning> down) {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            "Baedal is ready at %s in %.1f s%s (Ctrl-C to stop)",
            url,
            seconds,
            down.isEmpty() ? "" : ", without the " + String.join(" and the ", down.keySet())));
    down.forEach(
        (part, why) -> {
          lines.add("  ✗ " + part + " is not running: " + why.reason());
          lines.add("    fix: " + why.fix() + "; then restart baedal dev");
        });
    return lines;
  }
}

package dev.baedal.launcher;

import dev.baedal.platform.Settings;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code baedal infra}: the PostgreSQL and Kafka of {@code baedal dev} without the services, for
 * services run in other JVMs with {@code baedal run}.
 */
@Command(
    name = "infra",
    description = {
      "Start only the embedded PostgreSQL and Kafka of `baedal dev`, for `baedal run`.",
      "They keep their data under BAEDAL_DATA_DIR (default ./.baedal, the same as `baedal"
          + " dev`) and listen on BAEDAL_DEV_PG_PORT and BAEDAL_DEV_KAFKA_PORT. It prints the"
          + " export line that points `baedal run <service>... [--cluster]` at them, with the"
          + " JWT key kept in the data directory, so services in several JVMs need nothing"
          + " installed. BAEDAL_PG_URL / BAEDAL_KAFKA are ignored: it always starts its own."
          + " Ctrl-C stops it cleanly."
    })
final class InfraCommand implements Callable<Integer> {
  @CommandLine.Mixin Baedal.ConfigOption options = new Baedal.ConfigOption();

  @Override
  public Integer call() throws InterruptedException {
    Settings configured = options.load();
    for (String key : List.of("pg.url", "kafka")) {
      if (!configured.string(key).isEmpty()) {
        System.out.printf(
            "  ignoring %s=%s: baedal infra starts its own%n",
            Settings.envName(key), configured.string(key));
      }
    }
    Settings settings = configured.with("pg.url", "").with("kafka", "");
    Running running = Running.stopOnExit();
    running.infra = new LocalInfra();
    Settings started = running.infra.start(settings, Baedal::progress);
    System.out.println(
        "PostgreSQL and Kafka are ready (Ctrl-C to stop). In each shell that runs `baedal run`:");
    System.out.println(exports(settings, started));
    new CountDownLatch(1).await();
    return 0;
  }

  /**
   * The shell line that points {@code baedal run} at what {@code started} runs; the secrets stay in
   * their files (read by the shell), out of the terminal's scroll-back.
   */
  static String exports(Settings configured, Settings started) {
    String pgUrl = started.string("pg.url");
    Path pgPassword =
        Path.of(configured.string("data.dir")).toAbsolutePath().resolve("pg.password");
    pgUrl =
        pgUrl.replaceFirst(
            "^postgresql://postgres:[^@]*@",
            Matcher.quoteReplacement("postgresql://postgres:$(cat '" + pgPassword + "')@"));
    StringBuilder line =
        new StringBuilder("export ")
            .append("BAEDAL_PG_URL=\"")
            .append(pgUrl)
            .append("\" BAEDAL_KAFKA=")
            .append(started.string("kafka"));
    if (configured.string("jwt.secret").isEmpty()) {
      // the key itself stays in its file, out of the terminal's scroll-back
      Path key = LocalInfra.devSecretFile(configured);
      line.append(" BAEDAL_JWT_SECRET=\"$(cat '").append(key).append("')\"");
    }
    if (configured.string("payment.card-key").isEmpty()) {
      Path key = LocalInfra.devCardKeyFile(configured);
      line.append(" BAEDAL_PAYMENT_CARD_KEY=\"$(cat '").append(key).append("')\"");
    }
    return line.toString();
  }
}

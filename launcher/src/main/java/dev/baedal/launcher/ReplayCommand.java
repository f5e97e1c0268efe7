package dev.baedal.launcher;

import dev.baedal.platform.Settings;
import dev.baedal.platform.db.Database;
import dev.baedal.query.Rebuild;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
    name = "replay",
    description = {
      "Rebuild the query side's order views from the Kafka topics and swap them in.",
      "It reads every topic from the beginning into a fresh schema, then swaps it in; it refuses"
          + " to (exit code 1) if a live view could not be rebuilt because its events are no"
          + " longer in the topics. Without"
          + " BAEDAL_PG_URL / BAEDAL_KAFKA it uses the ones of a running `baedal dev` or"
          + " `baedal infra` (BAEDAL_DEV_PG_PORT, BAEDAL_DEV_KAFKA_PORT)."
    })
final class ReplayCommand implements Callable<Integer> {
  @CommandLine.Mixin Baedal.ConfigOption options = new Baedal.ConfigOption();

  @Override
  public Integer call() {
    Settings settings = options.load();
    if (settings.string("pg.url").isEmpty()) {
      settings = settings.with("pg.url", LocalInfra.devPgUrl(settings));
    }
    if (settings.string("kafka").isEmpty()) {
      settings = settings.with("kafka", "127.0.0.1:" + settings.integer("dev.kafka-port"));
    }
    Vertx vertx = Vertx.vertx();
    try {
      Rebuild.Result result =
          new Rebuild(vertx, settings, Database.pool(vertx, settings), Baedal::progress).run();
      System.out.printf(
          "replayed %d events into %d order views in %.1f s%s%n",
          result.events(),
          result.views(),
          result.millis() / 1000.0,
          result.skipped() == 0 ? "" : " (" + result.skipped() + " records skipped, see above)");
      return 0;
    } catch (Rebuild.RefusedException e) {
      System.err.println(e.getMessage());
      return 1;
    } finally {
      Baedal.await(vertx.close());
    }
  }
}

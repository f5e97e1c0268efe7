package dev.baedal.launcher;

import dev.baedal.devinfra.EmbeddedPg;
import dev.baedal.devinfra.KafkaBroker;
import dev.baedal.platform.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Consumer;

/**
 * What {@code baedal dev} brings up around the services: an embedded PostgreSQL and an in-process
 * Kafka broker, each unless the settings name an external one, with their data under {@code
 * data.dir}; and a JWT signing key kept in the data directory when none is configured.
 */
final class LocalInfra implements AutoCloseable {
  private EmbeddedPg postgres;
  private KafkaBroker broker;

  /** Starts what is missing and returns the settings that point at it. */
  Settings start(Settings settings, Consumer<String> progress) {
    Path data = Path.of(settings.string("data.dir")).toAbsolutePath();
    Settings s = settings;
    if (s.string("pg.url").isEmpty()) {
      long t = System.nanoTime();
      postgres = EmbeddedPg.start(data.resolve("postgres"), s.integer("dev.pg-port"));
      postgres.createDatabase("baedal");
      s = s.with("pg.url", postgres.url("baedal"));
      progress.accept(
          String.format("%-8s ready on 127.0.0.1:%d (%d ms)", "postgres", postgres.port(), ms(t)));
    }
    if (s.string("kafka").isEmpty()) {
      long t = System.nanoTime();
      broker = new KafkaBroker(data.resolve("kafka"), s.integer("dev.kafka-port")).start();
      s = s.with("kafka", broker.bootstrapServers());
      progress.accept(
          String.format("%-8s ready on %s (%d ms)", "kafka", broker.bootstrapServers(), ms(t)));
    }
    if (s.string("jwt.secret").isEmpty()) {
      s = s.with("jwt.secret", devSecret(data));
    }
    return s;
  }

  /** Starts only the broker ({@code baedal kafka}). */
  KafkaBroker startBroker(Path dir, int port) {
    broker = new KafkaBroker(dir, port).start();
    return broker;
  }

  /** Where the dev JWT key is kept when {@code jwt.secret} is not set. */
  static Path devSecretFile(Settings settings) {
    return Path.of(settings.string("data.dir")).toAbsolutePath().resolve("jwt.secret");
  }

  private static String devSecret(Path data) {
    Path file = data.resolve("jwt.secret");
    try {
      if (Files.exists(file)) {
        return Files.readString(file).trim();
      }
      byte[] key = new byte[48];
      new SecureRandom().nextBytes(key);
      String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(key);
      Files.createDirectories(data);
      Files.writeString(file, secret);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      return secret;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the dev JWT key in " + file, e);
    }
  }

  private static long ms(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  @Override
  public void close() {
    if (broker != null) {
      broker.stop();
    }
    if (postgres != null) {
      postgres.close();
    }
  }
}

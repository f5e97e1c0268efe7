package dev.baedal.launcher;

import dev.baedal.devinfra.EmbeddedPg;
import dev.baedal.devinfra.KafkaBroker;
import dev.baedal.platform.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
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
      postgres =
          EmbeddedPg.start(
              data.resolve("postgres"), s.integer("dev.pg-port"), devPgPasswordFile(settings));
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
    if (s.string("payment.card-key").isEmpty()) {
      s = s.with("payment.card-key", secret(devCardKeyFile(settings)));
    }
    return devOnly(s);
  }

  /** What only {@code baedal dev} turns on: the card network's knobs on the event bus. */
  static Settings devOnly(Settings settings) {
    return settings.with("payment.simulator", true);
  }

  /** Where the dev JWT key is kept when {@code jwt.secret} is not set. */
  static Path devSecretFile(Settings settings) {
    return Path.of(settings.string("data.dir")).toAbsolutePath().resolve("jwt.secret");
  }

  /** Where the dev card key is kept when {@code payment.card-key} is not set. */
  static Path devCardKeyFile(Settings settings) {
    return Path.of(settings.string("data.dir")).toAbsolutePath().resolve("card.key");
  }

  /**
   * The file with the password of the embedded PostgreSQL's superuser, created (0600) at first use.
   */
  static Path devPgPasswordFile(Settings settings) {
    Path file = Path.of(settings.string("data.dir")).toAbsolutePath().resolve("pg.password");
    secret(file);
    return file;
  }

  /** The URL of the embedded PostgreSQL of {@code baedal dev} / {@code baedal infra}. */
  static String devPgUrl(Settings settings) {
    return "postgresql://postgres:"
        + secret(devPgPasswordFile(settings))
        + "@127.0.0.1:"
        + settings.integer("dev.pg-port")
        + "/baedal";
  }

  private static String devSecret(Path data) {
    return secret(data.resolve("jwt.secret"));
  }

  /**
   * The secret kept in {@code file}, or a new random one (48 bytes, base64url) written to a new
   * file that is readable by this user only from the start: created with mode 0600, never chmod'ed
   * after the secret is in it.
   */
  static String secret(Path file) {
    try {
      if (Files.exists(file)) {
        return Files.readString(file).trim();
      }
      byte[] key = new byte[48];
      new SecureRandom().nextBytes(key);
      String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(key);
      Files.createDirectories(file.getParent());
      try (var channel =
          Files.newByteChannel(
              file,
              EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
        channel.write(ByteBuffer.wrap(secret.getBytes(StandardCharsets.US_ASCII)));
      } catch (FileAlreadyExistsException e) {
        return Files.readString(file).trim(); // another process made it first
      }
      return secret;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep a secret in " + file, e);
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

package dev.baedal.devinfra;

import java.util.Locale;
import java.util.Optional;

/**
 * Which servers the tests of this JVM run against, and why: {@code BAEDAL_TEST_INFRA} (or the
 * system property {@code baedal.test.infra}) is {@code auto} (the default: containers when a Docker
 * engine answers, embedded otherwise), {@code containers} (Testcontainers; fails at once without a
 * Docker engine) or {@code embedded} (the in-process Kafka broker and the embedded PostgreSQL,
 * Docker never asked).
 */
public record InfraChoice(Kind kind, String why) {
  public static final String ENV = "BAEDAL_TEST_INFRA";
  public static final String PROPERTY = "baedal.test.infra";

  public enum Kind {
    /** Kafka and PostgreSQL in Docker containers started by Testcontainers. */
    CONTAINERS,
    /** The in-process KRaft broker and the embedded PostgreSQL. */
    EMBEDDED
  }

  /** Asks whether a Docker engine is usable. */
  @FunctionalInterface
  public interface Docker {
    /** Empty when a Docker engine answers and can run containers; otherwise why not. */
    Optional<String> problem();
  }

  /**
   * Decides for {@code setting} (null or blank: {@code auto}); asks {@code docker} only when the
   * setting leaves it open or needs it.
   *
   * @throws IllegalStateException for {@code containers} without a usable Docker engine
   * @throws IllegalArgumentException for any other value than auto, containers and embedded
   */
  public static InfraChoice choose(String setting, Docker docker) {
    String value =
        setting == null || setting.isBlank() ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
    switch (value) {
      case "embedded":
        return new InfraChoice(
            Kind.EMBEDDED, ENV + "=embedded: in-process Kafka broker and embedded PostgreSQL");
      case "containers":
        {
          Optional<String> problem = docker.problem();
          if (problem.isPresent()) {
            throw new IllegalStateException(
                ENV
                    + "=containers, but there is no usable Docker engine: "
                    + problem.get()
                    + ". Start Docker (or point DOCKER_HOST at one), or run with "
                    + ENV
                    + "=embedded or auto");
          }
          return new InfraChoice(
              Kind.CONTAINERS, ENV + "=containers: a Docker engine answered; " + Images.describe());
        }
      case "auto":
        {
          Optional<String> problem = docker.problem();
          return problem.isEmpty()
              ? new InfraChoice(
                  Kind.CONTAINERS,
                  ENV + "=auto and a Docker engine answered: containers; " + Images.describe())
              : new InfraChoice(
                  Kind.EMBEDDED,
                  ENV
                      + "=auto and no usable Docker engine ("
                      + problem.get()
                      + "): in-process Kafka broker and embedded PostgreSQL");
        }
      default:
        throw new IllegalArgumentException(
            ENV + "='" + setting + "' is none of auto, containers, embedded");
    }
  }

  /** The setting of this run: the environment variable, else the system property, else auto. */
  public static String setting() {
    String env = System.getenv(ENV);
    if (env != null && !env.isBlank()) {
      return env;
    }
    return System.getProperty(PROPERTY, "auto");
  }

  /**
   * Testcontainers' own check ({@code DockerClientFactory}), bounded in time: a Docker socket that
   * never answers is reported as a problem, not waited for.
   */
  public static Docker testcontainers() {
    return () -> {
      try {
        return Containers.dockerProblem();
      } catch (LinkageError e) {
        return Optional.of("Testcontainers is not on this module's test class path (" + e + ")");
      }
    };
  }
}

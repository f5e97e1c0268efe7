package dev.baedal.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's {@code mvnw}, run on a copy of itself beside a distribution it fetches from a
 * {@code file:} URL (curl reads those), so that no test needs the network: it unpacks the pinned
 * archive once, runs its {@code bin/mvn}, and refuses one whose SHA-512 is not the pinned one.
 */
class MavenWrapperTest {
  private static final Path MVNW = Path.of("..", "mvnw");

  @TempDir Path dir;
  private Path project;
  private Path userHome;
  private Path archive;

  /** What one run of the wrapper said and returned. */
  private record Run(int exit, String output) {}

  @BeforeEach
  void fakeDistribution() throws Exception {
    assumeTrue(onPath("curl") && onPath("tar"), "mvnw's test reads file: URLs with curl");
    // a distribution shaped like apache-maven-*-bin.tar.gz whose bin/mvn says it ran
    Path mvn = dir.resolve("dist/apache-maven-9.9.9/bin/mvn");
    Files.createDirectories(mvn.getParent());
    Files.writeString(mvn, "#!/bin/sh\necho \"pinned maven ran with: $*\"\n");
    Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
    archive = dir.resolve("apache-maven-9.9.9-bin.tar.gz");
    assertThat(
            run(
                    dir,
                    Map.of(),
                    "tar",
                    "-czf",
                    archive.toString(),
                    "-C",
                    dir.resolve("dist").toString(),
                    "apache-maven-9.9.9")
                .exit())
        .isZero();

    project = dir.resolve("project");
    Files.createDirectories(project.resolve(".mvn/wrapper"));
    Files.copy(MVNW, project.resolve("mvnw"));
    userHome = dir.resolve("m2");
  }

  @Test
  @DisplayName(
      "mvnw downloads the pinned Maven once, checks its SHA-512 and runs it with the arguments")
  void runsThePinnedMaven() throws Exception {
    pin(sha512(archive));
    Run first = mvnw("-B", "-v");
    assertThat(first.exit()).as(first.output()).isZero();
    assertThat(first.output())
        .contains("mvnw: downloading file://" + archive, "pinned maven ran with: -B -v");

    Run second = mvnw("verify");
    assertThat(second.exit()).as(second.output()).isZero();
    assertThat(second.output())
        .doesNotContain("downloading")
        .contains("pinned maven ran with: verify");
  }

  @Test
  @DisplayName(
      "mvnw refuses a download whose SHA-512 is not the pinned one, and keeps nothing of it")
  void refusesAWrongChecksum() throws Exception {
    pin("0".repeat(128));
    Run r = mvnw("-v");
    assertThat(r.exit()).isNotZero();
    assertThat(r.output())
        .contains("has SHA-512 " + sha512(archive), "expects " + "0".repeat(128), "not used")
        .doesNotContain("pinned maven ran");
    try (var left = Files.walk(userHome)) {
      assertThat(left.filter(Files::isRegularFile).toList()).as("files left behind").isEmpty();
    }
  }

  @Test
  @DisplayName("mvnw without a pinned checksum says so instead of running an unchecked Maven")
  void needsAChecksum() throws Exception {
    Files.writeString(
        project.resolve(".mvn/wrapper/maven-wrapper.properties"),
        "distributionUrl=file://" + archive + "\n");
    Run r = mvnw("-v");
    assertThat(r.exit()).isNotZero();
    assertThat(r.output()).contains("gives no distributionSha512Sum");
  }

  @Test
  @DisplayName("the repository pins a Maven 3.9 from Maven Central with a SHA-512")
  void repositoryPin() throws IOException {
    String props = Files.readString(Path.of("..", ".mvn", "wrapper", "maven-wrapper.properties"));
    assertThat(props)
        .containsPattern(
            "(?m)^distributionUrl=https://repo\\.maven\\.apache\\.org/maven2/org/apache/maven/"
                + "apache-maven/3\\.9\\.\\d+/apache-maven-3\\.9\\.\\d+-bin\\.tar\\.gz$")
        .containsPattern("(?m)^distributionSha512Sum=[0-9a-f]{128}$");
  }

  private void pin(String sum) throws IOException {
    Files.writeString(
        project.resolve(".mvn/wrapper/maven-wrapper.properties"),
        "# a test's pin\ndistributionUrl=file://"
            + archive
            + "\ndistributionSha512Sum="
            + sum
            + "\n");
  }

  private Run mvnw(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("sh", "mvnw"));
    command.addAll(List.of(args));
    return run(
        project, Map.of("MAVEN_USER_HOME", userHome.toString()), command.toArray(String[]::new));
  }

  private static Run run(Path workDir, Map<String, String> env, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s ends", command[0]).isTrue();
    return new Run(p.exitValue(), output);
  }

  private static String sha512(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-512").digest(Files.readAllBytes(file)));
  }

  private static boolean onPath(String tool) {
    return java.util.Arrays.stream(System.getenv("PATH").split(java.io.File.pathSeparator))
        .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
  }
}

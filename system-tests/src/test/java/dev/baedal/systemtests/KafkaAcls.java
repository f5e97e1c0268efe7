package dev.baedal.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baedal.devinfra.KafkaBroker;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import kafka.admin.AclCommand;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.utils.Exit;

/**
 * Runs {@code deploy/kafka/acls.sh} against a test broker as an operator would, with Kafka's own
 * {@code kafka-acls.sh} command ({@link AclCommand}, in this JVM): the script runs under bash with
 * {@code kafka-*.sh} stand-ins that record their arguments, then every recorded {@code
 * kafka-acls.sh} call is executed. Topics are the test's business (the app's own topic creation),
 * and users come from the broker's SASL set-up.
 */
final class KafkaAcls {
  static final Path SCRIPT = Path.of("..", "deploy", "kafka", "acls.sh");

  private KafkaAcls() {}

  /** Applies the script's ACLs to {@code broker} through the real kafka-acls.sh command line. */
  static void runScript(KafkaBroker broker) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("baedal-acls");
    Path calls = dir.resolve("calls");
    for (String tool : List.of("kafka-acls.sh", "kafka-topics.sh", "kafka-configs.sh")) {
      Path shim = dir.resolve(tool);
      // one call per line, its arguments separated by tabs
      Files.writeString(
          shim,
          "#!/usr/bin/env bash\n"
              + "(IFS=$'\\t'; printf '%s\\t%s\\n' \""
              + tool
              + "\" \"$*\") >> '"
              + calls
              + "'\n");
      Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwx------"));
    }
    Path adminConfig = dir.resolve("admin.properties");
    try (Writer out = Files.newBufferedWriter(adminConfig, StandardCharsets.UTF_8)) {
      broker.adminProperties().store(out, "the super user");
    }
    // the script's output goes to a file: written to this JVM's stdout it would corrupt the
    // test runner's channel
    Path output = dir.resolve("output");
    ProcessBuilder bash =
        new ProcessBuilder("bash", SCRIPT.toString())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    bash.environment().put("PATH", dir + ":" + System.getenv("PATH"));
    bash.environment().put("KAFKA_BOOTSTRAP", broker.bootstrapServers());
    bash.environment().put("KAFKA_ADMIN_CONFIG", adminConfig.toString());
    Process process = bash.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(SCRIPT + " finishes").isTrue();
    assertThat(process.exitValue())
        .as("%s exit status; its output:%n%s", SCRIPT, Files.readString(output))
        .isZero();

    List<String[]> aclCalls = new ArrayList<>();
    for (String line : Files.readAllLines(calls)) {
      String[] words = line.split("\t");
      if (words[0].equals("kafka-acls.sh") && !Arrays.asList(words).contains("--list")) {
        aclCalls.add(Arrays.copyOfRange(words, 1, words.length));
      }
    }
    assertThat(aclCalls).as("kafka-acls.sh --add calls of " + SCRIPT).isNotEmpty();
    Exit.setExitProcedure(
        (status, message) -> {
          throw new AssertionError("kafka-acls.sh refused a call: " + message);
        });
    try {
      aclCalls.forEach(AclCommand::main);
    } finally {
      Exit.resetExitProcedure();
    }
    // each call adds one ACL (one user, operation and resource); the broker applies them shortly
    // after the controller took them
    long distinct = aclCalls.stream().map(Arrays::toString).distinct().count();
    await("the broker applies the ACLs of " + SCRIPT)
        .atMost(Duration.ofSeconds(30))
        .until(() -> count(broker) == distinct);
  }

  private static int count(KafkaBroker broker) throws Exception {
    try (Admin admin = Admin.create(broker.adminProperties())) {
      return admin.describeAcls(AclBindingFilter.ANY).values().get().size();
    }
  }

  /** Topic to the users whom the broker's ACLs allow {@code operation} on it. */
  static Map<String, Set<String>> users(KafkaBroker broker, AclOperation operation) {
    Map<String, Set<String>> users = new TreeMap<>();
    try (Admin admin = Admin.create(broker.adminProperties())) {
      for (AclBinding b : admin.describeAcls(AclBindingFilter.ANY).values().get()) {
        if (b.pattern().resourceType() == ResourceType.TOPIC
            && b.entry().operation() == operation) {
          users
              .computeIfAbsent(b.pattern().name(), t -> new TreeSet<>())
              .add(b.entry().principal().substring("User:".length()));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("could not list the ACLs", e);
    }
    return users;
  }
}

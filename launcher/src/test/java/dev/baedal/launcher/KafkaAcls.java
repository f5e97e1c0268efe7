package dev.baedal.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs of {@code deploy/kafka/acls.sh}, read from its {@code writes}, {@code reads} and {@code
 * follows} lines the way the script's functions expand them, so that tests check and apply exactly
 * what an operator runs.
 */
final class KafkaAcls {
  static final Path SCRIPT = Path.of("..", "deploy", "kafka", "acls.sh");

  private KafkaAcls() {}

  /** Every ACL the script adds, with {@code $GROUP_PREFIX} as {@code groupPrefix}. */
  static List<AclBinding> bindings(String groupPrefix) {
    List<AclBinding> acls = new ArrayList<>();
    for (String line : lines()) {
      List<String> words =
          Arrays.stream(line.trim().split("\\s+"))
              .map(w -> w.replace("\"", "").replace("$GROUP_PREFIX", groupPrefix))
              .toList();
      String user = words.get(1);
      List<String> rest = words.subList(2, words.size());
      switch (words.get(0)) {
        case "writes" -> rest.forEach(t -> acls.add(topic(user, AclOperation.WRITE, t)));
        case "reads" -> {
          acls.add(group(user, rest.get(0), PatternType.LITERAL));
          for (String t : rest.subList(1, rest.size())) {
            acls.add(topic(user, AclOperation.READ, t));
            acls.add(topic(user, AclOperation.WRITE, t + ".dlq"));
          }
        }
        case "follows" -> {
          acls.add(group(user, rest.get(0), PatternType.PREFIXED));
          rest.subList(1, rest.size()).forEach(t -> acls.add(topic(user, AclOperation.READ, t)));
        }
        default -> throw new IllegalStateException("not an ACL line of " + SCRIPT + ": " + line);
      }
    }
    return acls;
  }

  /** Topic to the users the script lets write it. */
  static Map<String, Set<String>> writers() {
    return users(AclOperation.WRITE);
  }

  /** Topic to the users the script lets read it. */
  static Map<String, Set<String>> readers() {
    return users(AclOperation.READ);
  }

  private static Map<String, Set<String>> users(AclOperation operation) {
    Map<String, Set<String>> users = new TreeMap<>();
    for (AclBinding b : bindings("baedal")) {
      if (b.pattern().resourceType() == ResourceType.TOPIC && b.entry().operation() == operation) {
        users
            .computeIfAbsent(b.pattern().name(), t -> new TreeSet<>())
            .add(b.entry().principal().substring("User:".length()));
      }
    }
    return users;
  }

  private static List<String> lines() {
    try {
      return Files.readAllLines(SCRIPT).stream()
          .filter(l -> l.matches("^(writes|reads|follows) .*"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static AclBinding topic(String user, AclOperation operation, String topic) {
    return new AclBinding(
        new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
        allow(user, operation));
  }

  private static AclBinding group(String user, String group, PatternType type) {
    return new AclBinding(
        new ResourcePattern(ResourceType.GROUP, group, type), allow(user, AclOperation.READ));
  }

  private static AccessControlEntry allow(String user, AclOperation operation) {
    return new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW);
  }
}

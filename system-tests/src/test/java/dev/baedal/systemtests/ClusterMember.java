package dev.baedal.systemtests;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A JVM in a test's cluster: {@code baedal run <services> --cluster} from the built jar, with an
 * HTTP and a management port of its own and the event bus on {@code busPort}.
 */
record ClusterMember(String base, String management, JarProcess process) {
  /** Starts one, with {@code common} as its environment besides its ports; returns once running. */
  static ClusterMember start(Path dir, Map<String, String> common, int busPort, String... services)
      throws Exception {
    return start(dir, common, null, busPort, services);
  }

  /**
   * The same, in a shell that first runs {@code exports} (the line {@code baedal infra} prints), or
   * directly when it is null.
   */
  static ClusterMember start(
      Path dir, Map<String, String> common, String exports, int busPort, String... services)
      throws Exception {
    int httpPort = JarProcess.freePort();
    int managementPort = JarProcess.freePort();
    Map<String, String> env = new HashMap<>(common);
    env.put("BAEDAL_MANAGEMENT_PORT", String.valueOf(managementPort));
    env.put("BAEDAL_CLUSTER_PORT", String.valueOf(busPort));
    env.put("BAEDAL_HTTP_PORT", String.valueOf(httpPort));
    List<String> args = new ArrayList<>(List.of("run"));
    args.addAll(List.of(services));
    args.add("--cluster");
    String name = String.join("+", services);
    String[] argv = args.toArray(String[]::new);
    JarProcess p =
        exports == null
            ? JarProcess.start(name, dir, env, "running:", argv)
            : JarProcess.startInShell(name, dir, env, "running:", exports, argv);
    return new ClusterMember(
        "http://127.0.0.1:" + httpPort, "http://127.0.0.1:" + managementPort, p);
  }
}

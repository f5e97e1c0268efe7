package dev.baedal.launcher;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import dev.baedal.platform.Settings;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Arrays;
import java.util.List;

/**
 * How a clustered node finds the others: Hazelcast bound to {@code cluster.host} (loopback by
 * default), joining the {@code cluster.members} by TCP, or, when {@code cluster.dns} names a
 * Kubernetes headless service, the pods behind it. Never multicast, never phone-home.
 */
final class Cluster {
  private Cluster() {}

  /**
   * The event bus listens on, and advertises, {@code cluster.host} and {@code cluster.bus-port} (0:
   * a free port; a fixed one lets a NetworkPolicy allow it between the pods).
   */
  static void configure(EventBusOptions bus, Settings settings) {
    String host = settings.string("cluster.host");
    int port = settings.integer("cluster.bus-port");
    bus.setHost(host).setClusterPublicHost(host).setPort(port);
    if (port != 0) {
      bus.setClusterPublicPort(port);
    }
  }

  static HazelcastClusterManager manager(Settings settings) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(settings.string("cluster.name"));
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    // Vert.x leaves the cluster in its own shutdown; a second hook would race it
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // a member killed without leaving is noticed in seconds, not the default minute
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(settings.integer("cluster.port")).setPortAutoIncrement(true);
    network
        .getInterfaces()
        .setEnabled(true)
        .setInterfaces(List.of(settings.string("cluster.host")));
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    String dns = settings.string("cluster.dns");
    if (dns.isEmpty()) {
      join.getTcpIpConfig().setEnabled(true).setMembers(members(settings));
    } else {
      join.getTcpIpConfig().setEnabled(false);
      join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", dns);
    }
    return new HazelcastClusterManager(config);
  }

  private static List<String> members(Settings settings) {
    return Arrays.stream(settings.string("cluster.members").split(","))
        .map(String::trim)
        .filter(m -> !m.isEmpty())
        .toList();
  }
}

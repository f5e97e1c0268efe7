package dev.baedal.launcher;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.HazelcastInstance;
import dev.baedal.platform.Settings;
import io.vertx.core.Completable;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How a clustered node finds the others: Hazelcast bound to {@code cluster.host} (loopback by
 * default), joining the {@code cluster.members} by TCP, or, when {@code cluster.dns} names a
 * Kubernetes headless service, the pods behind it. Never multicast, never phone-home. Public for
 * the system tests, which start clustered members of their own ({@code ProxiedCluster}, {@code
 * ClusterSecurityTest}).
 */
public final class Cluster {
  private Cluster() {}

  /**
   * The event bus listens on, and advertises, {@code cluster.host} and {@code cluster.bus-port} (0:
   * a free port; a fixed one lets a NetworkPolicy allow it between the pods). With {@code
   * cluster.tls} every event-bus connection is TLS with a certificate on both sides: a node
   * presents the one in {@code cluster.tls.keystore-*} and accepts only peers whose certificate the
   * CA in {@code cluster.tls.truststore-*} signed, so a process without such a certificate can
   * neither send a message to a member nor receive one.
   */
  public static void configure(EventBusOptions bus, Settings settings) {
    String host = settings.string("cluster.host");
    int port = settings.integer("cluster.bus-port");
    bus.setHost(host).setClusterPublicHost(host).setPort(port);
    if (port != 0) {
      bus.setClusterPublicPort(port);
    }
    if (settings.flag("cluster.tls")) {
      bus.setSsl(true)
          .setClientAuth(ClientAuth.REQUIRED)
          .setKeyCertOptions(store(settings, "keystore"))
          .setTrustOptions((TrustOptions) store(settings, "truststore"));
      bus.setEnabledSecureTransportProtocols(Set.of("TLSv1.3", "TLSv1.2"));
    }
  }

  /**
   * The key or trust store {@code cluster.tls.<which>-*}: PKCS12 or JKS, which must be readable.
   */
  private static KeyCertOptions store(Settings settings, String which) {
    String prefix = "cluster.tls." + which;
    String location = settings.string(prefix + "-location");
    String password = settings.string(prefix + "-password");
    String type = settings.string(prefix + "-type").toUpperCase(Locale.ROOT);
    if (location.isEmpty()) {
      throw new Settings.ConfigException(
          prefix
              + "-location ("
              + Settings.envName(prefix + "-location")
              + ") is required with cluster.tls");
    }
    if (!Files.isReadable(Path.of(location))) {
      throw new Settings.ConfigException(
          prefix
              + "-location ("
              + Settings.envName(prefix + "-location")
              + "): cannot read "
              + location);
    }
    return switch (type) {
      case "PKCS12" -> new PfxOptions().setPath(location).setPassword(password);
      case "JKS" -> new JksOptions().setPath(location).setPassword(password);
      default ->
          throw new Settings.ConfigException(
              prefix
                  + "-type ("
                  + Settings.envName(prefix + "-type")
                  + "): expected PKCS12 or JKS");
    };
  }

  /**
   * The cluster manager. With {@code cluster.secret}, Hazelcast is started here (the join happens
   * now, blocking) with {@link ClusterGuard}'s check, and shut down when Vert.x leaves.
   */
  public static HazelcastClusterManager manager(Settings settings) {
    Config config = config(settings);
    String secret = settings.string("cluster.secret");
    if (secret.isEmpty()) {
      return new HazelcastClusterManager(config);
    }
    if (secret.length() < 32) {
      throw new Settings.ConfigException(
          "cluster.secret (BAEDAL_CLUSTER_SECRET) must be at least 32 characters");
    }
    // the token is bound to the member's address: no other port than the one configured
    config.getNetworkConfig().setPortAutoIncrement(false);
    HazelcastInstance instance =
        ClusterGuard.start(
            config, secret, settings.string("cluster.host"), settings.integer("cluster.port"));
    return new Guarded(instance);
  }

  /**
   * The manager of a member that {@link #manager} started itself: Vert.x leaves the cluster of a
   * member it was given but does not shut it down, so this does after leaving.
   */
  private static final class Guarded extends HazelcastClusterManager {
    private final HazelcastInstance instance;

    Guarded(HazelcastInstance instance) {
      super(instance);
      this.instance = instance;
    }

    @Override
    public void leave(Completable<Void> done) {
      super.leave(
          (v, err) -> {
            instance.shutdown();
            done.complete(v, err);
          });
    }
  }

  private static Config config(Settings settings) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(settings.string("cluster.name"));
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    // Vert.x leaves the cluster in its own shutdown; a second hook would race it
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // a member killed without leaving is noticed in seconds, not the default minute; a network
    // that stays cut longer than this splits the cluster
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty(
        "hazelcast.max.no.heartbeat.seconds",
        String.valueOf(settings.integer("cluster.member-timeout-seconds")));

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
    return config;
  }

  private static List<String> members(Settings settings) {
    return Arrays.stream(settings.string("cluster.members").split(","))
        .map(String::trim)
        .filter(m -> !m.isEmpty())
        .toList();
  }
}

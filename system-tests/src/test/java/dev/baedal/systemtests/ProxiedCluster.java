package dev.baedal.systemtests;

import dev.baedal.devinfra.TcpProxy;
import dev.baedal.launcher.Cluster;
import dev.baedal.platform.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A Vert.x cluster (Hazelcast on loopback, as {@link Cluster} sets it up) whose members reach each
 * other only through {@link TcpProxy}s, so that a test can partition the network between them: each
 * member advertises a proxy in front of its Hazelcast port (Hazelcast's public address) and one in
 * front of its event-bus port (the event bus's public port), and every other member connects to
 * those.
 *
 * <pre>{@code
 * try (ProxiedCluster cluster = new ProxiedCluster(2)) {
 *   Vertx a = join(cluster.start(0)), b = join(cluster.start(1));
 *   cluster.partition(); // nothing passes between them, as if the cable were pulled
 *   cluster.heal();
 * }
 * }</pre>
 *
 * <p>A proxy carries everything that goes <em>into</em> its member, from any other member, so the
 * cut is exact for two members; with more, {@link #partition()} separates all of them from each
 * other. A partition longer than Hazelcast's {@code hazelcast.max.no.heartbeat.seconds} (10 s, see
 * {@link Cluster}) splits the cluster in two, and the halves merge again only at Hazelcast's merge
 * run ({@code hazelcast.merge.first.run.delay.seconds}, 300 s by default): a test of a longer
 * partition sets that lower. For {@code baedal run --cluster} JVMs (separate processes) the same
 * works once {@link Cluster} takes the two public ports as settings (today the event bus advertises
 * its own port, and Hazelcast its bind address). (Why proxies and not {@code ip netns}: a network
 * namespace has a loopback of its own, so a JVM in one can no longer reach the broker, PostgreSQL
 * and test on the host's 127.0.0.1 without routing 127/8 between namespaces; and addresses off the
 * loopback are not ours to use here.)
 */
final class ProxiedCluster implements AutoCloseable {
  private final String name = "partition-" + UUID.randomUUID();
  private final List<Member> members = new ArrayList<>();
  private final List<Vertx> started = new ArrayList<>();

  /** One member's real ports and the proxies in front of them. */
  record Member(int hazelcastPort, TcpProxy hazelcast, int busPort, TcpProxy bus) {}

  ProxiedCluster(int size) throws java.io.IOException {
    for (int i = 0; i < size; i++) {
      int hz = freePort();
      int bus = freePort();
      members.add(
          new Member(hz, TcpProxy.start("127.0.0.1", hz), bus, TcpProxy.start("127.0.0.1", bus)));
    }
  }

  List<Member> members() {
    return members;
  }

  /** The settings of member {@code i}: its own ports, the others' proxies as members. */
  Settings settings(int i) {
    return settings(i, Settings.defaults());
  }

  /** The settings of member {@code i} on top of {@code base}. */
  Settings settings(int i, Settings base) {
    String all =
        members.stream()
            .map(m -> "127.0.0.1:" + m.hazelcast().port())
            .collect(Collectors.joining(","));
    return base.with("cluster.name", name)
        .with("cluster.host", "127.0.0.1")
        .with("cluster.port", members.get(i).hazelcastPort())
        .with("cluster.bus-port", members.get(i).busPort())
        .with("cluster.members", all);
  }

  /** Starts member {@code i} as a clustered Vert.x. */
  Future<Vertx> start(int i) {
    return start(i, Settings.defaults());
  }

  /** Starts member {@code i} as a clustered Vert.x, with the cluster settings of {@code base}. */
  Future<Vertx> start(int i, Settings base) {
    Member m = members.get(i);
    Settings settings = settings(i, base);
    VertxOptions options = new VertxOptions();
    Cluster.configure(options.getEventBusOptions(), settings);
    options.getEventBusOptions().setClusterPublicPort(m.bus().port());
    HazelcastClusterManager manager = Cluster.manager(settings);
    manager.getConfig().getNetworkConfig().setPortAutoIncrement(false);
    // a member that leaves after a partition does not wait minutes to hand its data over
    manager.getConfig().setProperty("hazelcast.graceful.shutdown.max.wait", "10");
    manager.getConfig().getNetworkConfig().setPublicAddress("127.0.0.1:" + m.hazelcast().port());
    return Vertx.builder()
        .with(options)
        .withClusterManager(manager)
        .buildClustered()
        .onSuccess(
            v -> {
              synchronized (started) {
                started.add(v);
              }
            });
  }

  /** Nothing passes between any two members until {@link #heal()}. */
  void partition() {
    members.forEach(
        m -> {
          m.hazelcast().partition();
          m.bus().partition();
        });
  }

  /** Everything passes again; the connections that hung are closed, so members reconnect. */
  void heal() {
    members.forEach(
        m -> {
          m.hazelcast().heal();
          m.bus().heal();
        });
  }

  @Override
  public void close() {
    heal();
    List<Vertx> nodes;
    synchronized (started) {
      nodes = List.copyOf(started);
    }
    Future.join(nodes.stream().map(Vertx::close).toList())
        .toCompletionStage()
        .toCompletableFuture()
        .orTimeout(60, java.util.concurrent.TimeUnit.SECONDS)
        .join();
    members.forEach(
        m -> {
          m.hazelcast().close();
          m.bus().close();
        });
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}

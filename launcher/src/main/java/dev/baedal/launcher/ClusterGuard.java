package dev.baedal.launcher;

import com.hazelcast.cluster.Address;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.DefaultNodeContext;
import com.hazelcast.instance.impl.DefaultNodeExtension;
import com.hazelcast.instance.impl.HazelcastInstanceFactory;
import com.hazelcast.instance.impl.Node;
import com.hazelcast.instance.impl.NodeExtension;
import com.hazelcast.internal.cluster.impl.JoinMessage;
import com.hazelcast.internal.cluster.impl.JoinRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hazelcast membership restricted to the holders of {@code cluster.secret}. Hazelcast's open-source
 * edition has no member authentication (no TLS, no security realms, no socket interceptor: those
 * are Enterprise features); what it does offer is the hook where the master validates each join
 * request. Each member carries a token, HMAC-SHA256 of the cluster name and its own address under
 * the secret, as a member attribute; the master refuses a join request whose token is missing or
 * wrong, so a process that reaches port 5701 but does not know the secret cannot join.
 *
 * <p>What this does not do: Hazelcast's traffic is not encrypted, so the token (bound to its
 * member's address) can be read on the network, and a member that starts a cluster alone is not
 * checked by those that join it. The event bus's TLS ({@code cluster.tls}) is what keeps any
 * non-member from sending or receiving a message; this keeps non-members out of the membership and
 * the shared maps.
 *
 * <p>The hook is Hazelcast's internal {@code NodeExtension} API (its public API has none), used
 * through a {@code NodeContext} of our own.
 */
final class ClusterGuard {
  static final String TOKEN = "baedal.member-token";

  private ClusterGuard() {}

  /** Starts (and joins) a Hazelcast member whose master admits only members with the secret. */
  static HazelcastInstance start(Config config, String secret, String host, int port) {
    String cluster = config.getClusterName();
    config.getMemberAttributeConfig().setAttribute(TOKEN, token(secret, cluster, ip(host), port));
    // what Vert.x's cluster manager sets itself on a member it starts (its node id)
    config.getMemberAttributeConfig().setAttribute("__vertx.nodeId", UUID.randomUUID().toString());
    return HazelcastInstanceFactory.newHazelcastInstance(
        config,
        config.getInstanceName(),
        new DefaultNodeContext() {
          @Override
          public NodeExtension createNodeExtension(Node node) {
            return new Guarded(node, secret, cluster);
          }
        });
  }

  /** The token of the member at {@code ip:port} in {@code cluster}. */
  static String token(String secret, String cluster, String ip, int port) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] tag = mac.doFinal((cluster + "|" + ip + ":" + port).getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(tag);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static String ip(String host) {
    try {
      return InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException("cannot resolve cluster.host " + host, e);
    }
  }

  /** The default node extension, with the join check. */
  private static final class Guarded extends DefaultNodeExtension {
    private final String secret;
    private final String cluster;

    Guarded(Node node, String secret, String cluster) {
      super(node);
      this.secret = secret;
      this.cluster = cluster;
    }

    @Override
    public void validateJoinRequest(JoinMessage message) {
      super.validateJoinRequest(message);
      if (!(message instanceof JoinRequest request)) {
        return;
      }
      Address address = request.getAddress();
      String given = request.getAttributes() == null ? null : request.getAttributes().get(TOKEN);
      String expected;
      try {
        expected =
            token(secret, cluster, address.getInetAddress().getHostAddress(), address.getPort());
      } catch (UnknownHostException e) {
        throw new IllegalStateException("refused member " + address + ": unknown host");
      }
      if (given == null
          || !MessageDigest.isEqual(
              expected.getBytes(StandardCharsets.US_ASCII),
              given.getBytes(StandardCharsets.US_ASCII))) {
        throw new IllegalStateException(
            "refused member "
                + address
                + ": its token does not match (cluster.secret differs or is missing)");
      }
    }
  }
}

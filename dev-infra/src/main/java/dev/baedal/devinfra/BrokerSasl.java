package dev.baedal.devinfra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/** The SASL side of a {@link KafkaBroker} with {@link KafkaBroker.Sasl} users. */
final class BrokerSasl {
  private BrokerSasl() {}

  /**
   * The SASL listeners and the authorizer: clients on SASL_PLAINTEXT (PLAIN from the JAAS user
   * list, SCRAM from the credentials {@link #addScramCredentials} stores), the controller on
   * SASL/PLAIN, the broker itself and the admin as super user.
   */
  static void secure(Properties p, KafkaBroker.Sasl sasl, int port, int controllerPort) {
    String admin = sasl.admin();
    String password = sasl.users().get(admin);
    p.put(
        "listeners",
        "SASL_PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "SASL_PLAINTEXT://127.0.0.1:" + port);
    p.put(
        "listener.security.protocol.map",
        "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
    p.put("inter.broker.listener.name", "SASL_PLAINTEXT");
    p.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512");
    p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
    p.put("sasl.mechanism.controller.protocol", "PLAIN");
    Map<String, String> plain = new TreeMap<>();
    plain.put("username", admin);
    plain.put("password", password);
    sasl.users().forEach((user, secret) -> plain.put("user_" + user, secret));
    String plainModule = "org.apache.kafka.common.security.plain.PlainLoginModule";
    p.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", jaas(plainModule, plain));
    String scram = "org.apache.kafka.common.security.scram.ScramLoginModule required;";
    p.put("listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config", scram);
    p.put("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config", scram);
    p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
    p.put(
        "listener.name.controller.plain.sasl.jaas.config",
        jaas(
            plainModule,
            Map.of("username", admin, "password", password, "user_" + admin, password)));
    p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    p.put("super.users", "User:" + admin);
    p.put("allow.everyone.if.no.acl.found", "false");
  }

  /**
   * Stores every user's SCRAM-SHA-256 and SCRAM-SHA-512 credentials (again, after a restart: the
   * upsert is idempotent) and waits until the broker knows them.
   */
  static void addScramCredentials(KafkaBroker.Sasl sasl, String bootstrapServers) {
    Properties admin =
        KafkaBroker.clientProperties("PLAIN", sasl.admin(), sasl.users().get(sasl.admin()));
    admin.put("bootstrap.servers", bootstrapServers);
    try (Admin client = Admin.create(admin)) {
      // one credential per user and request: a request may not alter a user twice
      for (ScramMechanism mechanism :
          List.of(ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512)) {
        List<UserScramCredentialAlteration> upserts = new ArrayList<>();
        sasl.users()
            .forEach(
                (user, password) ->
                    upserts.add(
                        new UserScramCredentialUpsertion(
                            user, new ScramCredentialInfo(mechanism, 8192), password)));
        client.alterUserScramCredentials(upserts).all().get(60, TimeUnit.SECONDS);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!knowsEveryCredential(client, sasl)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the broker did not take the SCRAM credentials in time");
        }
        Thread.sleep(100); // the poll's interval, under the deadline above
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not store the SCRAM credentials", e);
    }
  }

  private static boolean knowsEveryCredential(Admin client, KafkaBroker.Sasl sasl)
      throws InterruptedException, ExecutionException, TimeoutException {
    var described = client.describeUserScramCredentials().all().get(60, TimeUnit.SECONDS);
    return sasl.users().keySet().stream()
        .allMatch(u -> described.containsKey(u) && described.get(u).credentialInfos().size() == 2);
  }

  /** A JAAS login module line; values in double quotes with backslashes and quotes escaped. */
  static String jaas(String module, Map<String, String> options) {
    StringBuilder line = new StringBuilder(module).append(" required");
    options.forEach(
        (key, value) ->
            line.append(' ')
                .append(key)
                .append("=\"")
                .append(value.replace("\\", "\\\\").replace("\"", "\\\""))
                .append('"'));
    return line.append(';').toString();
  }
}

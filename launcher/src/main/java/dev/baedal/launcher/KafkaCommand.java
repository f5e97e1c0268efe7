package dev.baedal.launcher;

import dev.baedal.devinfra.KafkaBroker;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "kafka",
    description = "Run only the in-process Kafka broker (KRaft), e.g. for the Python notifier.")
final class KafkaCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "9092", description = "client port (default 9092)")
  int port;

  @Option(
      names = "--data-dir",
      defaultValue = ".baedal/kafka-standalone",
      description = "log directory (default .baedal/kafka-standalone)")
  Path dataDir;

  @Option(
      names = "--sasl-user",
      paramLabel = "NAME=PASSWORD",
      description = {
        "a SASL user (repeat for more); with any, the listener is SASL_PLAINTEXT (PLAIN,",
        "SCRAM-SHA-256, SCRAM-SHA-512) and ACLs are enforced: only the super user may do",
        "anything until ACLs allow more (e.g. deploy/kafka/acls.sh)"
      })
  Map<String, String> saslUsers = Map.of();

  @Option(
      names = "--super-user",
      defaultValue = "admin",
      description = "with --sasl-user: the super user, one of the SASL users (default admin)")
  String superUser;

  @Override
  public Integer call() throws InterruptedException {
    KafkaBroker.Sasl sasl = saslUsers.isEmpty() ? null : new KafkaBroker.Sasl(superUser, saslUsers);
    KafkaBroker broker = new KafkaBroker(dataDir, port, sasl).start();
    Runtime.getRuntime().addShutdownHook(new Thread(broker::stop, "kafka-stop"));
    System.out.println(
        "Kafka ready at "
            + broker.bootstrapServers()
            + (sasl == null
                ? ""
                : " ("
                    + broker.securityProtocol()
                    + ", ACLs enforced, super user "
                    + superUser
                    + ")")
            + " (Ctrl-C to stop)");
    new CountDownLatch(1).await();
    return 0;
  }
}

package dev.baedal.launcher;

import dev.baedal.platform.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "run",
    description = {
      "Run chosen services in this JVM against an external PostgreSQL and Kafka.",
      "Those are BAEDAL_PG_URL and BAEDAL_KAFKA (`baedal infra` starts both and prints the"
          + " lines to set them). Services: payment, store, order, rider, query, notify,"
          + " gateway."
    })
final class RunCommand implements Callable<Integer> {
  @CommandLine.Mixin Baedal.ConfigOption options = new Baedal.ConfigOption();

  @Parameters(arity = "1..*", paramLabel = "SERVICE", description = "services to run")
  List<String> services = new ArrayList<>();

  @Option(
      names = "--cluster",
      description =
          "join the other JVMs' event bus through Hazelcast: BAEDAL_CLUSTER_HOST and"
              + " BAEDAL_CLUSTER_MEMBERS (loopback by default), or BAEDAL_CLUSTER_DNS for a"
              + " Kubernetes headless service")
  boolean cluster;

  @Override
  public Integer call() throws InterruptedException {
    Settings settings = options.load();
    List<Service> chosen = services.stream().map(Service::of).toList();
    Running running = Running.stopOnExit();
    running.node = Baedal.await(Node.start(settings, chosen, Baedal::progress, cluster));
    System.out.printf(
        "running: %s (%smanagement on %s:%d)%n",
        String.join(", ", services),
        chosen.contains(Service.GATEWAY)
            ? "http on " + settings.string("http.host") + ":" + running.node.httpPort() + ", "
            : "",
        settings.string("management.host"),
        running.node.managementPort());
    new CountDownLatch(1).await();
    return 0;
  }
}

package dev.baedal.launcher;

import dev.baedal.devinfra.KafkaBroker;
import dev.baedal.launcher.bench.Bench;
import dev.baedal.platform.Settings;
import dev.baedal.platform.db.Database;
import dev.baedal.query.Rebuild;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code baedal} command line. Every command inherits {@code -h/--help} and {@code
 * -V/--version} from here ({@code scope = INHERIT}).
 */
@Command(
    name = "baedal",
    mixinStandardHelpOptions = true,
    scope = CommandLine.ScopeType.INHERIT,
    version = "baedal 0.1.0",
    description = "Baedal (배달): an event-driven food-delivery platform on Vert.x.",
    subcommands = {
      Baedal.Dev.class,
      Baedal.Run.class,
      Baedal.Infra.class,
      Baedal.Kafka.class,
      Baedal.ShowSettings.class,
      Baedal.Replay.class,
      Dlq.class,
      Bench.class,
      CommandLine.HelpCommand.class
    })
public final class Baedal implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine commandLine =
        new CommandLine(new Baedal())
            .setExecutionExceptionHandler(
                (ex, cmd, parsed) -> {
                  cmd.getErr().println("baedal: " + rootMessage(ex));
                  return 2;
                });
    commandLine
        .getHelpSectionMap()
        .put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, Baedal::commandList);
    return commandLine;
  }

  /**
   * The list of commands in the usage help, each with its summary wrapped to the width: picocli's
   * own list shows a description's first line only, which cuts a sentence that goes on.
   */
  private static String commandList(CommandLine.Help help) {
    Map<String, CommandLine.Help> commands = help.subcommands();
    if (commands.isEmpty()) {
      return "";
    }
    int names = commands.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
    int width = help.commandSpec().usageMessage().width();
    CommandLine.Help.TextTable table =
        CommandLine.Help.TextTable.forColumns(
            help.colorScheme(),
            new CommandLine.Help.Column(names + 2, 2, CommandLine.Help.Column.Overflow.SPAN),
            new CommandLine.Help.Column(
                width - names - 2, 2, CommandLine.Help.Column.Overflow.WRAP));
    commands.forEach(
        (name, command) -> {
          if (!command.commandSpec().usageMessage().hidden()) {
            table.addRowValues(name, summary(command.commandSpec()));
          }
        });
    return table.toString();
  }

  /** . ! or ? before the end or before a space and a capital: "e.g. for" goes on. */
  private static final Pattern SENTENCE_END = Pattern.compile("[.!?](?=$| \\p{Lu})");

  /** A command's header if it has one, else the first sentence of its description. */
  static String summary(CommandLine.Model.CommandSpec command) {
    String[] header = command.usageMessage().header();
    String text =
        String.join(" ", header.length > 0 ? header : command.usageMessage().description())
            .replace("%n", " ")
            .replaceAll("\\s+", " ")
            .strip();
    Matcher end = SENTENCE_END.matcher(text);
    return end.find() ? text.substring(0, end.end()) : text;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(System.out);
    return 0;
  }

  /** Options every command that loads settings has. */
  static class ConfigOption {
    @Option(
        names = {"-c", "--config"},
        paramLabel = "FILE",
        description = "JSON file with settings (see `baedal settings`); env BAEDAL_* wins over it")
    Path config;

    Settings load() {
      Vertx vertx = Vertx.vertx();
      try {
        return await(Settings.load(vertx, config));
      } finally {
        await(vertx.close());
      }
    }
  }

  @Command(
      name = "dev",
      description = {
        "Start everything in one process, with its own PostgreSQL and Kafka.",
        "An embedded PostgreSQL and an in-process Kafka broker keep their data under"
            + " BAEDAL_DATA_DIR (default ./.baedal); every service, the web UI on"
            + " BAEDAL_HTTP_PORT (default 8080) and the Python notifier run beside them."
            + " BAEDAL_PG_URL / BAEDAL_KAFKA use external servers instead. It says when everything is ready, and names any part that is not"
            + " running with the command that fixes it. Ctrl-C stops it cleanly."
      })
  static final class Dev implements Callable<Integer> {
    @CommandLine.Mixin ConfigOption options = new ConfigOption();

    @Override
    public Integer call() throws InterruptedException {
      long started = System.nanoTime();
      Settings settings = options.load();
      // stop whatever has started, also when Ctrl-C comes before everything is ready
      Running running = stopOnExit();
      running.infra = new LocalInfra();
      settings = running.infra.start(settings, Baedal::progress);
      Node node = await(Node.start(settings, List.of(Service.values()), Baedal::progress));
      running.node = node;
      progress(
          String.format(
              "%-8s /health/ready and /metrics on http://%s:%d/",
              "ops", settings.string("management.host"), node.managementPort()));
      await(node.awaitReady(60_000));
      running.notifier = new NotifierProcess(settings);
      List<String> said = new ArrayList<>();
      if (running.notifier.start(said::add)) {
        said.forEach(Baedal::progress);
      }
      Map<String, NotifierProcess.NotRunning> down = new LinkedHashMap<>();
      running.notifier.notRunning().ifPresent(why -> down.put("notifier", why));
      banner(
              "http://" + settings.string("http.host") + ":" + node.httpPort() + "/",
              (System.nanoTime() - started) / 1e9,
              down)
          .forEach(System.out::println);
      new CountDownLatch(1).await();
      return 0;
    }

    /**
     * The lines that say it is ready: where, how fast, and each part that is not running, why, and
     * the command that fixes it.
     */
    static List<String> banner(
        String url, double seconds, Map<String, NotifierProcess.NotRunning> down) {
      List<String> lines = new ArrayList<>();
      lines.add(
          String.format(
              "Baedal is ready at %s in %.1f s%s (Ctrl-C to stop)",
              url,
              seconds,
              down.isEmpty() ? "" : ", without the " + String.join(" and the ", down.keySet())));
      down.forEach(
          (part, why) -> {
            lines.add("  ✗ " + part + " is not running: " + why.reason());
            lines.add("    fix: " + why.fix() + "; then restart baedal dev");
          });
      return lines;
    }
  }

  @Command(
      name = "run",
      description = {
        "Run chosen services in this JVM against an external PostgreSQL and Kafka.",
        "Those are BAEDAL_PG_URL and BAEDAL_KAFKA (`baedal infra` starts both and prints the"
            + " lines to set them). Services: payment, store, order, rider, query, notify,"
            + " gateway."
      })
  static final class Run implements Callable<Integer> {
    @CommandLine.Mixin ConfigOption options = new ConfigOption();

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
      Running running = stopOnExit();
      running.node = await(Node.start(settings, chosen, Baedal::progress, cluster));
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

  /**
   * {@code baedal infra}: the PostgreSQL and Kafka of {@code baedal dev} without the services, for
   * services run in other JVMs with {@code baedal run}.
   */
  @Command(
      name = "infra",
      description = {
        "Start only the embedded PostgreSQL and Kafka of `baedal dev`, for `baedal run`.",
        "They keep their data under BAEDAL_DATA_DIR (default ./.baedal, the same as `baedal"
            + " dev`) and listen on BAEDAL_DEV_PG_PORT and BAEDAL_DEV_KAFKA_PORT. It prints the"
            + " export line that points `baedal run <service>... [--cluster]` at them, with the"
            + " JWT key kept in the data directory, so services in several JVMs need nothing"
            + " installed. BAEDAL_PG_URL / BAEDAL_KAFKA are ignored: it always starts its own."
            + " Ctrl-C stops it cleanly."
      })
  static final class Infra implements Callable<Integer> {
    @CommandLine.Mixin ConfigOption options = new ConfigOption();

    @Override
    public Integer call() throws InterruptedException {
      Settings configured = options.load();
      for (String key : List.of("pg.url", "kafka")) {
        if (!configured.string(key).isEmpty()) {
          System.out.printf(
              "  ignoring %s=%s: baedal infra starts its own%n",
              Settings.envName(key), configured.string(key));
        }
      }
      Settings settings = configured.with("pg.url", "").with("kafka", "");
      Running running = stopOnExit();
      running.infra = new LocalInfra();
      Settings started = running.infra.start(settings, Baedal::progress);
      System.out.println(
          "PostgreSQL and Kafka are ready (Ctrl-C to stop). In each shell that runs `baedal run`:");
      System.out.println(exports(settings, started));
      new CountDownLatch(1).await();
      return 0;
    }

    /**
     * The shell line that points {@code baedal run} at what {@code started} runs; the secrets stay
     * in their files (read by the shell), out of the terminal's scroll-back.
     */
    static String exports(Settings configured, Settings started) {
      String pgUrl = started.string("pg.url");
      Path pgPassword =
          Path.of(configured.string("data.dir")).toAbsolutePath().resolve("pg.password");
      pgUrl =
          pgUrl.replaceFirst(
              "^postgresql://postgres:[^@]*@",
              Matcher.quoteReplacement("postgresql://postgres:$(cat '" + pgPassword + "')@"));
      StringBuilder line =
          new StringBuilder("export ")
              .append("BAEDAL_PG_URL=\"")
              .append(pgUrl)
              .append("\" BAEDAL_KAFKA=")
              .append(started.string("kafka"));
      if (configured.string("jwt.secret").isEmpty()) {
        // the key itself stays in its file, out of the terminal's scroll-back
        Path key = LocalInfra.devSecretFile(configured);
        line.append(" BAEDAL_JWT_SECRET=\"$(cat '").append(key).append("')\"");
      }
      if (configured.string("payment.card-key").isEmpty()) {
        Path key = LocalInfra.devCardKeyFile(configured);
        line.append(" BAEDAL_PAYMENT_CARD_KEY=\"$(cat '").append(key).append("')\"");
      }
      return line.toString();
    }
  }

  @Command(
      name = "kafka",
      description = "Run only the in-process Kafka broker (KRaft), e.g. for the Python notifier.")
  static final class Kafka implements Callable<Integer> {
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
      KafkaBroker.Sasl sasl =
          saslUsers.isEmpty() ? null : new KafkaBroker.Sasl(superUser, saslUsers);
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

  @Command(
      name = "replay",
      description = {
        "Rebuild the query side's order views from the Kafka topics and swap them in.",
        "It reads every topic from the beginning into a fresh schema, then swaps it in; it refuses"
            + " to (exit code 1) if a live view could not be rebuilt because its events are no"
            + " longer in the topics. Without"
            + " BAEDAL_PG_URL / BAEDAL_KAFKA it uses the ones of a running `baedal dev` or"
            + " `baedal infra` (BAEDAL_DEV_PG_PORT, BAEDAL_DEV_KAFKA_PORT)."
      })
  static final class Replay implements Callable<Integer> {
    @CommandLine.Mixin ConfigOption options = new ConfigOption();

    @Override
    public Integer call() {
      Settings settings = options.load();
      if (settings.string("pg.url").isEmpty()) {
        settings = settings.with("pg.url", LocalInfra.devPgUrl(settings));
      }
      if (settings.string("kafka").isEmpty()) {
        settings = settings.with("kafka", "127.0.0.1:" + settings.integer("dev.kafka-port"));
      }
      Vertx vertx = Vertx.vertx();
      try {
        Rebuild.Result result =
            new Rebuild(vertx, settings, Database.pool(vertx, settings), Baedal::progress).run();
        System.out.printf(
            "replayed %d events into %d order views in %.1f s%s%n",
            result.events(),
            result.views(),
            result.millis() / 1000.0,
            result.skipped() == 0 ? "" : " (" + result.skipped() + " records skipped, see above)");
        return 0;
      } catch (Rebuild.RefusedException e) {
        System.err.println(e.getMessage());
        return 1;
      } finally {
        await(vertx.close());
      }
    }
  }

  @Command(
      name = "settings",
      description = "List every setting, its environment variable and default.")
  static final class ShowSettings implements Callable<Integer> {
    @Override
    public Integer call() {
      System.out.printf("%-34s %-42s %s%n", "setting", "environment variable", "default");
      for (Map.Entry<String, Object> e : Settings.describe().entrySet()) {
        System.out.printf(
            "%-34s %-42s %s%n",
            e.getKey(), Settings.envName(e.getKey()), Settings.shown(e.getKey(), e.getValue()));
      }
      return 0;
    }
  }

  private static void progress(String line) {
    System.out.println("  ✓ " + line);
  }

  /** What this process has started, in the order it stops it. */
  static final class Running {
    volatile NotifierProcess notifier;
    volatile Node node;
    volatile LocalInfra infra;
  }

  /** Registers the Ctrl-C / SIGTERM hook that stops whatever {@link Running} holds by then. */
  private static Running stopOnExit() {
    Running running = new Running();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("stopping...");
                  if (running.notifier != null) {
                    running.notifier.close();
                  }
                  if (running.node != null) {
                    try {
                      running
                          .node
                          .stop()
                          .toCompletionStage()
                          .toCompletableFuture()
                          .get(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                      System.err.println("services did not stop cleanly: " + rootMessage(e));
                    }
                  }
                  if (running.infra != null) {
                    running.infra.close();
                  }
                  System.out.println("stopped");
                },
                "baedal-stop"));
    return running;
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw new IllegalStateException(rootMessage(e), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out", e);
    }
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null
        && (t instanceof ExecutionException
            || t instanceof CompletionException
            || t.getMessage() == null)) {
      t = t.getCause();
    }
    String message = t.getMessage();
    return message == null ? t.toString() : message;
  }
}

package dev.baedal.launcher;

import dev.baedal.bench.Bench;
import dev.baedal.platform.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code baedal} command line. Every command inherits {@code -h/--help} and {@code
 * -V/--version} from here ({@code scope = INHERIT}). Each command is a class of its own ({@link
 * DevCommand}, {@link RunCommand}, {@link InfraCommand}, {@link KafkaCommand}, {@link
 * SettingsCommand}, {@link ReplayCommand}, {@link Dlq}, {@link Bench}); this one wires them and
 * holds what they share (the {@code --config} option, waiting for a future, error messages).
 */
@Command(
    name = "baedal",
    mixinStandardHelpOptions = true,
    scope = CommandLine.ScopeType.INHERIT,
    version = "baedal 0.1.0",
    description = "Baedal (배달): an event-driven food-delivery platform on Vert.x.",
    subcommands = {
      DevCommand.class,
      RunCommand.class,
      InfraCommand.class,
      KafkaCommand.class,
      SettingsCommand.class,
      ReplayCommand.class,
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

  /** The command line with every command (the system tests list them from here). */
  public static CommandLine commandLine() {
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

  static void progress(String line) {
    System.out.println("  ✓ " + line);
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

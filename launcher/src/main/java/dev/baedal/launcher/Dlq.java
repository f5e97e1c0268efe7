package dev.baedal.launcher;

import dev.baedal.platform.Settings;
import dev.baedal.platform.kafka.DeadLetters;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code baedal dlq}: what is in the dead-letter queues, and putting it back. */
@Command(
    name = "dlq",
    description = {
      "Show the dead-letter queues, or put their records back on the topics they came from.",
      "A record is dead-lettered only when it cannot be parsed or is invalid for good (or is about"
          + " an order a context never learnt of); fix the cause, then redrive it. Without"
          + " BAEDAL_KAFKA it uses the broker of a running `baedal dev` or `baedal infra`."
    },
    subcommands = {Dlq.ListLetters.class, Dlq.Redrive.class})
final class Dlq implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(System.out);
    return 0;
  }

  /** The settings, with the broker of a local {@code baedal dev} unless one is named. */
  static Settings settings(Baedal.ConfigOption options) {
    Settings settings = options.load();
    return settings.string("kafka").isEmpty()
        ? settings.with("kafka", "127.0.0.1:" + settings.integer("dev.kafka-port"))
        : settings;
  }

  @Command(
      name = "list",
      description = {
        "List the dead letters not yet redriven: per queue, each record's offset, time, key"
            + " (the order id), the consumer group that gave up on it and why."
      })
  static final class ListLetters implements Callable<Integer> {
    @CommandLine.Mixin Baedal.ConfigOption options = new Baedal.ConfigOption();

    @Parameters(
        arity = "0..1",
        paramLabel = "TOPIC",
        description = "only this topic's queue (e.g. order-events); all of them by default")
    String topic;

    @Option(names = "--values", description = "print each record's event too")
    boolean values;

    @Override
    public Integer call() {
      try (DeadLetters dlq = new DeadLetters(settings(options))) {
        List<String> queues = topic == null ? dlq.queues() : List.of(dlq.queueOf(topic));
        long total = 0;
        for (String queue : queues) {
          List<DeadLetters.Letter> letters = dlq.list(queue);
          total += letters.size();
          if (letters.isEmpty() && topic == null) {
            continue;
          }
          System.out.printf("%s: %d not redriven%n", queue, letters.size());
          for (DeadLetters.Letter l : letters) {
            System.out.printf(
                "  @%-6d %s  key=%s  group=%s%n    %s%n",
                l.offset(), l.at(), l.key(), l.group().isEmpty() ? "-" : l.group(), l.reason());
            if (values) {
              System.out.printf("    %s%n", l.value());
            }
          }
        }
        System.out.printf("%d dead letter%s not redriven%n", total, total == 1 ? "" : "s");
        return 0;
      }
    }
  }

  @Command(
      name = "redrive",
      description = {
        "Put every dead letter of TOPIC not yet redriven back on TOPIC, keyed as before.",
        "Each consumer group sees the records again; a group that handled one before finds it in"
            + " its inbox and skips it. Redriven records count as done: a record that fails again"
            + " comes back to the queue as a new dead letter."
      })
  static final class Redrive implements Callable<Integer> {
    @CommandLine.Mixin Baedal.ConfigOption options = new Baedal.ConfigOption();

    @Parameters(paramLabel = "TOPIC", description = "e.g. order-events (or order-events.dlq)")
    String topic;

    @Override
    public Integer call() {
      try (DeadLetters dlq = new DeadLetters(settings(options))) {
        String queue = dlq.queueOf(topic);
        List<DeadLetters.Letter> letters = dlq.redrive(queue);
        for (DeadLetters.Letter l : letters) {
          System.out.printf("  @%-6d key=%s -> %s%n", l.offset(), l.key(), l.topic());
        }
        System.out.printf(
            "redrove %d record%s from %s%n", letters.size(), letters.size() == 1 ? "" : "s", queue);
        return 0;
      }
    }
  }
}

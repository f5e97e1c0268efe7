package dev.baedal.platform.kafka;

import dev.baedal.platform.Settings;
import dev.baedal.platform.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The dead-letter queues ({@code <topic>.dlq}), as an operator sees them: what is in them and not
 * yet redriven, and the redrive that puts those records back on the topic they came from.
 *
 * <p>What has been redriven is kept as the committed offsets of one consumer group, {@code
 * <kafka.group-prefix>-dlq-redrive}: a queue's pending records are those after its committed
 * offset. A redriven record goes back to its original topic with its key, so it keeps its place
 * among its order's events from then on; every consumer group sees it again, and those that handled
 * it before find its id in their inbox. Blocking calls: for the command line and worker threads.
 */
public final class DeadLetters implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** One dead letter: where it is, where it came from, and why it is there. */
  public record Letter(
      String dlq,
      long offset,
      Instant at,
      String key,
      String topic,
      String group,
      String reason,
      String value) {}

  private final Settings settings;
  private final Map<String, Object> config;
  private final Admin admin;
  private final String group;

  public DeadLetters(Settings settings) {
    this.settings = settings;
    this.config = new HashMap<>(KafkaClients.base(settings));
    this.admin = Admin.create(config);
    this.group = settings.string("kafka.group-prefix") + "-dlq-redrive";
  }

  /** The dead-letter queues of this deployment, each as its full topic name. */
  public List<String> queues() {
    List<String> out = new ArrayList<>();
    for (String topic : Topics.EVENT_TOPICS) {
      out.add(Topics.dlq(Topics.qualified(settings, topic)));
    }
    out.add(Topics.dlq(Topics.qualified(settings, Topics.CATALOG)));
    return out;
  }

  /**
   * The queue of {@code topic}, which may be given as the contract names it ({@code order-events}),
   * with this deployment's prefix, or as the queue itself ({@code order-events.dlq}).
   */
  public String queueOf(String topic) {
    String base = topic.endsWith(".dlq") ? topic.substring(0, topic.length() - 4) : topic;
    String prefix = settings.string("kafka.topic-prefix");
    String queue = Topics.dlq(base.startsWith(prefix) ? base : prefix + base);
    if (!queues().contains(queue)) {
      throw new IllegalArgumentException(
          "no dead-letter queue for "
              + topic
              + "; the topics are "
              + String.join(", ", Topics.EVENT_TOPICS)
              + ", "
              + Topics.CATALOG);
    }
    return queue;
  }

  /** Per queue, how many records are in it and not yet redriven (queues that do not exist: 0). */
  public Map<String, Long> pending() {
    Map<String, Long> out = new LinkedHashMap<>();
    Map<TopicPartition, long[]> ranges = ranges(queues());
    for (String queue : queues()) {
      long n = 0;
      for (var e : ranges.entrySet()) {
        if (e.getKey().topic().equals(queue)) {
          n += e.getValue()[1] - e.getValue()[0];
        }
      }
      out.put(queue, n);
    }
    return out;
  }

  /** The records of {@code queue} not yet redriven, oldest first. */
  public List<Letter> list(String queue) {
    List<Letter> out = new ArrayList<>();
    read(queue, r -> out.add(letter(r)));
    return out;
  }

  /**
   * Puts every record of {@code queue} not yet redriven back on the topic it came from, then
   * records them as redriven. A crash in between redrives them again, which the consumers' inboxes
   * make harmless. Returns the letters redriven.
   */
  public List<Letter> redrive(String queue) {
    List<Letter> letters = new ArrayList<>();
    Map<String, Object> producerConfig = new HashMap<>(config);
    producerConfig.put("acks", "all");
    producerConfig.put("enable.idempotence", "true");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
      Map<TopicPartition, Long> ends =
          read(
              queue,
              r -> {
                Letter letter = letter(r);
                ProducerRecord<String, String> back =
                    new ProducerRecord<>(letter.topic(), r.key(), r.value());
                for (Header h : r.headers()) {
                  if (!h.key().startsWith("baedal.")) {
                    back.headers().add(h);
                  }
                }
                back.headers().add("baedal.redriven-from", bytes(queue + "@" + r.offset()));
                producer.send(back);
                letters.add(letter);
              });
      producer.flush();
      get(
          admin
              .alterConsumerGroupOffsets(group, offsets(ends))
              .all()); // after the flush: nothing counts as redriven before it is back
    }
    return letters;
  }

  /** Reads the pending records of {@code queue}; returns each partition's end offset. */
  private Map<TopicPartition, Long> read(
      String queue, Consumer<ConsumerRecord<String, String>> each) {
    Map<TopicPartition, long[]> ranges = ranges(List.of(queue));
    Map<String, Object> consumerConfig = new HashMap<>(config);
    consumerConfig.put("enable.auto.commit", "false");
    consumerConfig.put("isolation.level", "read_committed");
    Map<TopicPartition, Long> ends = new HashMap<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(ranges.keySet());
      ranges.forEach(
          (tp, range) -> {
            consumer.seek(tp, range[0]);
            ends.put(tp, range[1]);
          });
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      Map<TopicPartition, Long> left = new HashMap<>(ends);
      left.entrySet().removeIf(e -> ranges.get(e.getKey())[0] >= e.getValue());
      while (!left.isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("timed out reading " + queue);
        }
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          if (r.offset() < ends.get(tp)) {
            each.accept(r);
          }
        }
        left.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
      }
    }
    return ends;
  }

  /**
   * Per partition of {@code queues} that exists: {first pending offset, end offset}. The first
   * pending offset is the redrive group's committed offset, or the log's start.
   */
  private Map<TopicPartition, long[]> ranges(List<String> queues) {
    Set<String> existing = get(admin.listTopics().names());
    List<String> present = queues.stream().filter(existing::contains).toList();
    if (present.isEmpty()) {
      return Map.of();
    }
    Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    get(admin.describeTopics(present).allTopicNames())
        .forEach(
            (name, description) ->
                description
                    .partitions()
                    .forEach(
                        p -> {
                          TopicPartition tp = new TopicPartition(name, p.partition());
                          earliest.put(tp, OffsetSpec.earliest());
                          latest.put(tp, OffsetSpec.latest());
                        }));
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts =
        get(admin.listOffsets(earliest).all());
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
        get(admin.listOffsets(latest).all());
    Map<TopicPartition, OffsetAndMetadata> redriven =
        get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
    Map<TopicPartition, long[]> out = new HashMap<>();
    for (TopicPartition tp : latest.keySet()) {
      OffsetAndMetadata done = redriven.get(tp);
      long first = Math.max(starts.get(tp).offset(), done == null ? 0 : done.offset());
      out.put(tp, new long[] {first, Math.max(first, ends.get(tp).offset())});
    }
    return out;
  }

  private static Map<TopicPartition, OffsetAndMetadata> offsets(Map<TopicPartition, Long> ends) {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    ends.forEach((tp, end) -> out.put(tp, new OffsetAndMetadata(end)));
    return out;
  }

  private static Letter letter(ConsumerRecord<String, String> r) {
    return new Letter(
        r.topic(),
        r.offset(),
        Instant.ofEpochMilli(r.timestamp()),
        r.key(),
        header(r, "baedal.topic", r.topic().substring(0, r.topic().length() - 4)),
        header(r, "baedal.group", ""),
        header(r, "baedal.reason", ""),
        r.value());
  }

  private static String header(ConsumerRecord<String, String> r, String key, String otherwise) {
    Header h = r.headers().lastHeader(key);
    return h == null ? otherwise : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static <T> T get(KafkaFuture<T> future) {
    try {
      return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Kafka: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Kafka did not answer in " + TIMEOUT.toSeconds() + " s", e);
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}

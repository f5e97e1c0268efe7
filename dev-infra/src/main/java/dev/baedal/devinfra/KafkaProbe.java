package dev.baedal.devinfra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients for tests: read what is on a topic, put raw records on one. */
public final class KafkaProbe {
  private KafkaProbe() {}

  /**
   * Reads {@code topics} from the beginning until {@code expected} records that match {@code
   * filter} have come (or the deadline passes), then on up to the end offsets the topics had at
   * that moment, so that every extra record (a duplicate) already in the log shows up too. Returns
   * every matching record.
   */
  public static List<ConsumerRecord<String, String>> read(
      Collection<String> topics,
      Predicate<ConsumerRecord<String, String>> filter,
      int expected,
      Duration deadline) {
    return read(TestInfra.kafka(), topics, filter, expected, deadline);
  }

  /**
   * Like {@link #read(Collection, Predicate, int, Duration)}, from the broker at {@code bootstrap}.
   */
  public static List<ConsumerRecord<String, String>> read(
      String bootstrap,
      Collection<String> topics,
      Predicate<ConsumerRecord<String, String>> filter,
      int expected,
      Duration deadline) {
    List<ConsumerRecord<String, String>> got = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
      long end = System.nanoTime() + deadline.toNanos();
      List<TopicPartition> partitions =
          assignAll(consumer, topics, expected > 0 ? deadline : Duration.ZERO);
      while (got.size() < expected && System.nanoTime() < end) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> add(got, r, filter));
      }
      readToEnd(consumer, partitions, r -> add(got, r, filter), deadline);
    }
    return got;
  }

  /**
   * Every record on {@code topics} from the beginning up to the end offsets they have now: the
   * whole log as it stands, for a ledger that counts effects by event id.
   */
  public static List<ConsumerRecord<String, String>> readAll(
      String bootstrap, Collection<String> topics, Duration deadline) {
    List<ConsumerRecord<String, String>> got = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
      List<TopicPartition> partitions = assignAll(consumer, topics, Duration.ZERO);
      readToEnd(consumer, partitions, got::add, deadline);
    }
    return got;
  }

  /**
   * Assigns every partition of {@code topics} (no group, no rebalance), from the beginning; waits
   * up to {@code waitFor} for a topic that does not exist yet (its producer may not have written
   * yet), and leaves out one that still does not: it holds nothing.
   */
  private static List<TopicPartition> assignAll(
      KafkaConsumer<String, String> consumer, Collection<String> topics, Duration waitFor) {
    List<TopicPartition> partitions = new ArrayList<>();
    long end = System.nanoTime() + waitFor.toNanos();
    for (String topic : topics) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
      while ((infos == null || infos.isEmpty()) && System.nanoTime() < end) {
        try {
          Thread.sleep(100); // the poll's interval, under the deadline above
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
        infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
      }
      if (infos != null) {
        infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
      }
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return partitions;
  }

  /** Reads until the position of each partition reached the end offset it had when called. */
  private static void readToEnd(
      KafkaConsumer<String, String> consumer,
      List<TopicPartition> partitions,
      Consumer<ConsumerRecord<String, String>> sink,
      Duration deadline) {
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, deadline);
    long end = System.nanoTime() + deadline.toNanos();
    while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException(
            "could not read "
                + partitions
                + " up to their end offsets "
                + ends
                + " in "
                + deadline);
      }
      consumer.poll(Duration.ofMillis(200)).forEach(sink);
    }
  }

  /** Sends a raw record and waits for the broker's acknowledgement. */
  public static void send(String topic, String key, String value) {
    Properties p = new Properties();
    p.put("bootstrap.servers", TestInfra.kafka());
    p.put("acks", "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not send to " + topic, e.getCause());
    }
  }

  private static void add(
      List<ConsumerRecord<String, String>> got,
      ConsumerRecord<String, String> r,
      Predicate<ConsumerRecord<String, String>> filter) {
    if (filter.test(r)) {
      got.add(r);
    }
  }

  private static KafkaConsumer<String, String> consumer(String bootstrap) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("auto.offset.reset", "earliest");
    p.put("enable.auto.commit", "false");
    return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
  }
}

package dev.baedal.devinfra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients for tests: read what is on a topic, put raw records on one. */
public final class KafkaProbe {
  private KafkaProbe() {}

  /**
   * Reads {@code topics} from the beginning until {@code expected} records that match {@code
   * filter} have come (or the deadline passes), then keeps reading briefly so that any extra record
   * (a duplicate) shows up too. Returns every matching record.
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
      consumer.subscribe(topics);
      long end = System.nanoTime() + deadline.toNanos();
      while (got.size() < expected && System.nanoTime() < end) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> add(got, r, filter));
      }
      long settle = System.nanoTime() + Duration.ofMillis(750).toNanos();
      while (System.nanoTime() < settle) {
        consumer.poll(Duration.ofMillis(100)).forEach(r -> add(got, r, filter));
      }
    }
    return got;
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
    } catch (java.util.concurrent.ExecutionException e) {
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
    p.put("group.id", "probe-" + UUID.randomUUID());
    p.put("auto.offset.reset", "earliest");
    p.put("enable.auto.commit", "false");
    return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
  }
}

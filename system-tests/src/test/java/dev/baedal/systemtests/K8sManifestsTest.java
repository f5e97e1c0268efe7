package dev.baedal.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.fail;

import dev.baedal.launcher.Service;
import dev.baedal.platform.Settings;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The Kubernetes manifests in {@code deploy/k8s} and {@code deploy/kafka} are valid against the
 * Kubernetes API's schema ({@link K8sSchema}), fit together and fit the app: a Deployment per
 * {@link Service} and one for the Python notifier with its volume, probes on the port the app
 * serves, only settings the app knows, one Hazelcast cluster of the service pods, autoscalers over
 * Deployments with CPU requests, SASL_SSL to Kafka with a user per workload, default-deny
 * NetworkPolicies, an Ingress with WebSocket timeouts, and images that the Dockerfile builds. They
 * are not applied to a cluster here; KafkaAclTest applies deploy/kafka/acls.sh to a real broker.
 */
class K8sManifestsTest {
  private static final Path DIR = Path.of("..", "deploy", "k8s");
  private static final Path KAFKA_DIR = Path.of("..", "deploy", "kafka");
  private static final Path DOCKERFILE = Path.of("..", "deploy", "Dockerfile");
  private static final Path NOTIFIER_CONFIG =
      Path.of("..", "python-notifier", "notifier", "config.py");
  private static final String KUSTOMIZATION = "kustomization.yaml";
  private static final String NAMESPACE = "baedal";
  private static final String IMAGE = "baedal:0.1.0";
  private static final String NOTIFIER_IMAGE = "baedal-notifier:0.1.0";
  private static final String NOTIFIER = "baedal-notifier";
  private static final String BUS_LABEL = "baedal.dev/event-bus";

  /** The one user id of the images (deploy/Dockerfile) and of the pods' securityContext. */
  private static final int APP_UID = 10001;

  private static final String NAME_LABEL = "app.kubernetes.io/name";
  private static final String PART_OF_LABEL = "app.kubernetes.io/part-of";
  private static final String PART_OF = "baedal";
  private static final Set<String> SCALED = Set.of("baedal-order", "baedal-payment");

  /** How long the app's shutdown hook waits for the services to stop (Running.stopOnExit). */
  private static final int SHUTDOWN_SECONDS = 30;

  private static List<Node> resources;

  @BeforeAll
  static void parse() throws IOException {
    resources = new ArrayList<>();
    for (String file : manifestFiles(DIR)) {
      resources.addAll(documents(DIR, file));
    }
  }

  @Test
  @DisplayName("every resource has an apiVersion, a kind, a name and the baedal namespace")
  void identified() {
    assertThat(resources).isNotEmpty();
    for (Node r : resources) {
      assertThat(r.at("apiVersion").text()).as(r.where()).isNotBlank();
      assertThat(kind(r)).as(r.where()).isNotBlank();
      assertThat(name(r)).as(r.where()).isNotBlank();
      if (kind(r).equals("Namespace")) {
        assertThat(name(r)).as(r.where()).isEqualTo(NAMESPACE);
      } else {
        assertThat(r.at("metadata.namespace").text()).as(r.where()).isEqualTo(NAMESPACE);
      }
    }
  }

  @Test
  @DisplayName("kustomization.yaml lists exactly the YAML files of deploy/k8s")
  void kustomization() throws IOException {
    for (Path dir : List.of(DIR, KAFKA_DIR)) {
      Node kustomization = documents(dir, KUSTOMIZATION).get(0);
      assertThat(kind(kustomization)).isEqualTo("Kustomization");
      List<String> listed = kustomization.at("resources").list().stream().map(Node::text).toList();
      assertThat(listed)
          .as("%s resources, against the files of %s", KUSTOMIZATION, dir)
          .doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(manifestFiles(dir));
      for (Node generator :
          kustomization.find("configMapGenerator").map(Node::list).orElse(List.of())) {
        for (Node file : generator.at("files").list()) {
          assertThat(dir.resolve(file.text())).as(file.where()).isRegularFile();
        }
      }
    }
  }

  @Test
  @DisplayName("there is a Deployment for every service and the notifier, and for nothing else")
  void deploymentPerService() {
    assertThat(ofKind("Deployment").map(K8sManifestsTest::name))
        .containsExactlyInAnyOrderElementsOf(
            Stream.concat(
                    Stream.of(Service.values()).map(K8sManifestsTest::deploymentName),
                    Stream.of(NOTIFIER))
                .toList());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Service.class)
  @DisplayName("pods carry the name and part-of labels, and the selector matches them")
  void labels(Service service) {
    Node deployment = deployment(service);
    Map<String, Object> podLabels = podLabels(deployment);
    assertThat(podLabels)
        .as(deployment.where())
        .containsEntry(NAME_LABEL, deploymentName(service))
        .containsEntry(PART_OF_LABEL, PART_OF);
    assertThat(podLabels)
        .as(deployment.where() + " selector")
        .containsAllEntriesOf(deployment.at("spec.selector.matchLabels").map());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Service.class)
  @DisplayName("the container runs `baedal run <service> --cluster` from the image")
  void command(Service service) {
    Node container = container(deployment(service));
    assertThat(container.at("image").text()).as(container.where()).isEqualTo(IMAGE);
    assertThat(container.at("args").list().stream().map(Node::text))
        .as(container.where())
        .containsExactly("run", service.id(), "--cluster");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Service.class)
  @DisplayName(
      "the probes ask /health/live and /health/ready, and Prometheus /metrics, on the management"
          + " port the app serves on 0.0.0.0, which is not the public HTTP port")
  void probes(Service service) {
    Node deployment = deployment(service);
    Node container = container(deployment);
    Map<String, String> env = environment(container);
    assertThat(setting(env, "management.host")).as(container.where()).isEqualTo("0.0.0.0");
    int managementPort = Integer.parseInt(setting(env, "management.port"));
    assertThat(managementPort)
        .as("the management port is not the public one")
        .isNotEqualTo(Integer.parseInt(setting(env, "http.port")))
        .isPositive();
    assertProbe(container, "startupProbe", "/health/live", managementPort);
    assertProbe(container, "livenessProbe", "/health/live", managementPort);
    assertProbe(container, "readinessProbe", "/health/ready", managementPort);
    Node annotations = deployment.at("spec.template.metadata.annotations");
    assertThat(annotations.child("prometheus.io/port").text())
        .as(annotations.where())
        .isEqualTo(String.valueOf(managementPort));
    assertThat(annotations.child("prometheus.io/path").text()).isEqualTo("/metrics");
    if (service != Service.GATEWAY) {
      assertThat(container.at("ports").list().stream().map(p -> p.at("containerPort").integer()))
          .as("%s: no public HTTP port on a service without the gateway", container.where())
          .doesNotContain(Integer.parseInt(setting(env, "http.port")));
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Service.class)
  @DisplayName(
      "the event bus runs TLS with the key and trust stores of a mounted Secret, their passwords"
          + " and the Hazelcast cluster secret from a Secret")
  void clusterTls(Service service) {
    Node deployment = deployment(service);
    Node container = container(deployment);
    Map<String, String> env = environment(container);
    assertThat(setting(env, "cluster.tls")).as(container.where()).isEqualTo("true");
    assertThat(secretVariables(container))
        .as(container.where() + " variables from a Secret")
        .contains(
            Settings.envName("cluster.tls.keystore-password"),
            Settings.envName("cluster.tls.truststore-password"),
            Settings.envName("cluster.secret"));
    for (String store : List.of("keystore", "truststore")) {
      Path file = Path.of(setting(env, "cluster.tls." + store + "-location"));
      Node mount =
          single(
              container.at("volumeMounts").list().stream()
                  .filter(m -> file.getParent().equals(Path.of(m.at("mountPath").text()))),
              "mount of " + file);
      Node volume =
          single(
              deployment.at("spec.template.spec.volumes").list().stream()
                  .filter(v -> v.at("name").text().equals(mount.at("name").text())),
              "volume " + mount.at("name").text());
      Node secret = resource("Secret", volume.at("secret.secretName").text());
      assertThat(data(secret)).as(secret.where()).containsKey(file.getFileName().toString());
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Service.class)
  @DisplayName("the card key goes to the gateway (it seals) and payment (it opens), to no one else")
  void cardKey(Service service) {
    Node container = container(deployment(service));
    boolean needs = service == Service.GATEWAY || service == Service.PAYMENT;
    String key = Settings.envName("payment.card-key");
    if (needs) {
      assertThat(secretVariables(container)).as(container.where()).contains(key);
    } else {
      assertThat(secretVariables(container)).as(container.where()).doesNotContain(key);
      assertThat(environment(container)).as(container.where()).doesNotContainKey(key);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Service.class)
  @DisplayName("the pod gets the Secret, valid settings and its own IP as cluster.host")
  void environment(Service service) {
    Node container = container(deployment(service));
    assertThat(secretVariables(container))
        .as(container.where() + " variables from a Secret")
        .contains(Settings.envName("jwt.secret"), Settings.envName("pg.url"));
    Map<String, String> env = mounted(container, environment(container));
    assertThat(setting(env, "kafka")).as(container.where()).isNotEmpty();
    assertThatCode(() -> Settings.of(settingsOf(env))).doesNotThrowAnyException();
    Node clusterHost =
        envEntry(container, Settings.envName("cluster.host"))
            .orElseGet(() -> fail("%s.env has no BAEDAL_CLUSTER_HOST", container));
    assertThat(clusterHost.at("valueFrom.fieldRef.fieldPath").text())
        .as(clusterHost.where())
        .isEqualTo("status.podIP");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Service.class)
  @DisplayName("the pod requests and limits CPU and memory, and has time to stop cleanly")
  void resources(Service service) {
    Node deployment = deployment(service);
    Node container = container(deployment);
    for (String quantity :
        List.of("requests.cpu", "requests.memory", "limits.cpu", "limits.memory")) {
      assertThat(container.find("resources." + quantity))
          .as("%s.resources.%s", container, quantity)
          .isPresent();
    }
    assertThat(deployment.at("spec.template.spec.terminationGracePeriodSeconds").integer())
        .as(deployment.where())
        .isGreaterThan(SHUTDOWN_SECONDS);
  }

  @Test
  @DisplayName("every variable of the ConfigMaps, Secrets and containers is a setting (no typos)")
  void knownSettings() {
    Set<String> known = knownVariables().keySet();
    // the ConfigMaps and Secrets that become variables (not the ones mounted as files)
    Set<String> asVariables =
        ofKind("Deployment")
            .flatMap(d -> container(d).find("envFrom").map(Node::list).orElse(List.of()).stream())
            .flatMap(
                f ->
                    Stream.concat(
                        f.find("configMapRef.name").stream(), f.find("secretRef.name").stream()))
            .map(Node::text)
            .collect(Collectors.toSet());
    Stream.concat(ofKind("ConfigMap"), ofKind("Secret"))
        .filter(r -> asVariables.contains(name(r)))
        .forEach(r -> assertThat(data(r).keySet()).as(r.where()).isSubsetOf(known));
    Set<String> notifierKnown = new java.util.HashSet<>(notifierVariables());
    ofKind("Deployment")
        .forEach(
            d -> {
              Node c = container(d);
              assertThat(env(c).stream().map(e -> e.at("name").text()))
                  .as(c.where() + ".env")
                  .isSubsetOf(name(d).equals(NOTIFIER) ? notifierKnown : known);
            });
  }

  @Test
  @DisplayName("order and payment scale on CPU, over Deployments that request CPU")
  void autoscalers() {
    List<Node> autoscalers = ofKind("HorizontalPodAutoscaler").toList();
    assertThat(autoscalers.stream().map(h -> h.at("spec.scaleTargetRef.name").text()))
        .as("Deployments scaled by a HorizontalPodAutoscaler")
        .containsExactlyInAnyOrderElementsOf(SCALED);
    for (Node hpa : autoscalers) {
      assertThat(hpa.at("apiVersion").text()).as(hpa.where()).isEqualTo("autoscaling/v2");
      assertThat(hpa.at("spec.scaleTargetRef.kind").text()).as(hpa.where()).isEqualTo("Deployment");
      Node target = resource("Deployment", hpa.at("spec.scaleTargetRef.name").text());
      int min = hpa.at("spec.minReplicas").integer();
      int max = hpa.at("spec.maxReplicas").integer();
      assertThat(min).as(hpa.where() + " minReplicas").isBetween(2, max);
      assertThat(hpa.at("spec.metrics").list())
          .as(hpa.where() + " metrics")
          .anySatisfy(
              m -> {
                assertThat(m.at("resource.name").text()).isEqualTo("cpu");
                assertThat(m.at("resource.target.type").text()).isEqualTo("Utilization");
                assertThat(m.at("resource.target.averageUtilization").integer()).isBetween(1, 100);
              });
      Node container = container(target);
      assertThat(container.find("resources.requests.cpu")).as(container.where()).isPresent();
      assertThat(target.find("spec.replicas"))
          .as("%s leaves spec.replicas to %s", target, hpa)
          .isEmpty();
      assertThat(Integer.parseInt(setting(environment(container), "kafka.partitions")))
          .as("partitions of new topics, so that every pod of %s gets some", target)
          .isGreaterThanOrEqualTo(max);
    }
  }

  @Test
  @DisplayName(
      "Hazelcast finds every pod through the headless Service that BAEDAL_CLUSTER_DNS names")
  void clusterDiscovery() {
    Node headless =
        single(ofKind("Service").filter(K8sManifestsTest::isHeadless), "headless Service");
    assertThat(headless.at("spec.publishNotReadyAddresses").value())
        .as(headless.where())
        .isEqualTo(true);
    Map<String, Object> selector = headless.at("spec.selector").map();
    assertThat(selector).as(headless.where()).containsEntry(BUS_LABEL, "member");
    assertThat(selects(headless, resource("Deployment", NOTIFIER)))
        .as("the notifier is no member of the event bus")
        .isFalse();
    for (Service service : Service.values()) {
      Node deployment = deployment(service);
      Node container = container(deployment);
      Map<String, String> env = environment(container);
      assertThat(podLabels(deployment)).as(deployment.where()).containsAllEntriesOf(selector);
      assertThat(setting(env, "cluster.dns"))
          .as(container.where())
          .startsWith(name(headless) + "." + NAMESPACE + ".svc");
      int clusterPort = Integer.parseInt(setting(env, "cluster.port"));
      for (Node port : headless.at("spec.ports").list()) {
        assertThat(port.at("port").integer()).as(port.where()).isEqualTo(clusterPort);
        assertThat(containerPort(container, port.at("targetPort")))
            .as(port.where())
            .isEqualTo(clusterPort);
      }
    }
  }

  @Test
  @DisplayName("the gateway's Service sends port 80 to the gateway pods' HTTP port, and only there")
  void gatewayService() {
    Node gateway = deployment(Service.GATEWAY);
    Node service =
        single(
            ofKind("Service").filter(s -> !isHeadless(s) && selects(s, gateway)),
            "Service of the gateway");
    for (Service other : Service.values()) {
      assertThat(selects(service, deployment(other)))
          .as("%s selects %s", service, other)
          .isEqualTo(other == Service.GATEWAY);
    }
    Node port = single(service.at("spec.ports").list().stream(), service + " port");
    assertThat(port.at("port").integer()).as(port.where()).isEqualTo(80);
    Node container = container(gateway);
    assertThat(containerPort(container, port.at("targetPort")))
        .as(port.where())
        .isEqualTo(Integer.parseInt(setting(environment(container), "http.port")));
  }

  @Test
  @DisplayName(
      "every resource of deploy/k8s and deploy/kafka is valid against the Kubernetes API schema"
          + " (no unknown or missing required field, every value of its type)")
  void schema() throws IOException {
    int checked = 0;
    for (Path dir : List.of(DIR, KAFKA_DIR)) {
      for (String file : manifestFiles(dir)) {
        for (Node document : documents(dir, file)) {
          assertThat(K8sSchema.violations(document.value())).as(document.where()).isEmpty();
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(30);
  }

  @Test
  @DisplayName("the schema check refuses a misspelt field, a missing required one and a wrong type")
  @SuppressWarnings("unchecked")
  void schemaCheckCanFail() throws IOException {
    Map<String, Object> deployment =
        (Map<String, Object>) documents(DIR, "gateway-deployment.yaml").get(0).value();
    String yaml = new Yaml().dump(deployment);
    Yaml loader = new Yaml(new SafeConstructor(new LoaderOptions()));
    assertThat(K8sSchema.violations(loader.load(yaml.replace("readinessProbe", "readinesProbe"))))
        .anySatisfy(v -> assertThat(v).contains("readinesProbe"));
    assertThat(
            K8sSchema.violations(
                loader.load(yaml.replace("failureThreshold: 3", "failureThreshold: three"))))
        .anySatisfy(v -> assertThat(v).contains("failureThreshold: expected an integer"));
    Map<String, Object> nameless = loader.load(yaml);
    Map<String, Object> spec =
        (Map<String, Object>) ((Map<String, Object>) nameless.get("spec")).get("template");
    Map<String, Object> pod = (Map<String, Object>) spec.get("spec");
    ((Map<String, Object>) ((List<Object>) pod.get("containers")).get(0)).remove("name");
    assertThat(K8sSchema.violations(nameless))
        .anySatisfy(v -> assertThat(v).contains("required field `name`"));
  }

  @Test
  @DisplayName(
      "every workload talks SASL_SSL to Kafka, checks the brokers against the mounted CA and logs"
          + " in as its own user, one of the users of deploy/kafka/acls.sh")
  void kafkaSecurity() throws IOException {
    Set<String> scriptUsers = scriptUsers();
    Set<String> usernames = new java.util.HashSet<>();
    for (Node deployment : ofKind("Deployment").toList()) {
      Node container = container(deployment);
      Map<String, String> env = environment(container);
      String workload = name(deployment).substring("baedal-".length());
      assertThat(setting(env, "kafka.security-protocol"))
          .as(container.where())
          .isEqualTo("SASL_SSL");
      assertThat(setting(env, "kafka.sasl.mechanism"))
          .as(container.where())
          .startsWith("SCRAM-SHA-");
      assertThat(setting(env, "kafka.ssl.endpoint-identification"))
          .as(container.where())
          .isEqualTo("https");
      assertThat(setting(env, "kafka.ssl.truststore-type")).as(container.where()).isEqualTo("PEM");
      assertThat(mounted(container, env))
          .as(container.where() + " trust store mounted")
          .isNotEqualTo(env);
      assertThat(setting(env, "kafka").split(":")[1]).isEqualTo(String.valueOf(KAFKA_PORT));
      // the credentials come from the workload's own Secret, never from a shared one
      Node secret = resource("Secret", "baedal-kafka-" + workload);
      Map<String, String> credentials = data(secret);
      assertThat(credentials.get(Settings.envName("kafka.sasl.username")))
          .as(secret.where())
          .isEqualTo(workload);
      assertThat(credentials)
          .as(secret.where())
          .containsKey(Settings.envName("kafka.sasl.password"));
      assertThat(secretVariables(container))
          .as(container.where())
          .contains(Settings.envName("kafka.sasl.password"));
      assertThat(env.get(Settings.envName("kafka.sasl.username")))
          .as(container.where())
          .isEqualTo(workload);
      assertThat(scriptUsers).as("users of acls.sh").contains(workload);
      usernames.add(workload);
      for (Node shared : ofKind("ConfigMap").toList()) {
        assertThat(data(shared).keySet())
            .as(shared.where())
            .doesNotContain(
                Settings.envName("kafka.sasl.username"), Settings.envName("kafka.sasl.password"));
      }
    }
    assertThat(usernames).hasSize(Service.values().length + 1);
    Map<String, String> config = data(resource("ConfigMap", "baedal-config"));
    assertThat(config.get(Settings.envName("kafka.create-topics")))
        .as("topics come from acls.sh")
        .isEqualTo("false");
    assertThat(Files.readString(KafkaAcls.SCRIPT))
        .as("acls.sh creates the event topics with the ConfigMap's partitions through PARTITIONS")
        .contains(
            "PARTITIONS=\"${PARTITIONS:-"
                + config.get(Settings.envName("kafka.partitions"))
                + "}\"");
  }

  @Test
  @DisplayName(
      "NetworkPolicies: all traffic is denied unless allowed; the gateway takes HTTP from the"
          + " Ingress controller only; Hazelcast and the event bus only between the service pods;"
          + " egress only to PostgreSQL, Kafka and DNS")
  void networkPolicies() {
    Node deny = resource("NetworkPolicy", "default-deny");
    assertThat(deny.at("spec.podSelector").map()).as(deny.where()).isEmpty();
    assertThat(deny.at("spec.policyTypes").list().stream().map(Node::text))
        .containsExactlyInAnyOrder("Ingress", "Egress");
    assertThat(deny.find("spec.ingress")).isEmpty();
    assertThat(deny.find("spec.egress")).isEmpty();

    Map<String, String> config = data(resource("ConfigMap", "baedal-config"));
    int clusterPort = Integer.parseInt(config.get(Settings.envName("cluster.port")));
    int busPort = Integer.parseInt(config.get(Settings.envName("cluster.bus-port")));
    int pgPort =
        java.net
            .URI
            .create(data(resource("Secret", "baedal-secrets")).get(Settings.envName("pg.url")))
            .getPort();
    for (Node deployment : ofKind("Deployment").toList()) {
      List<Node> policies =
          ofKind("NetworkPolicy")
              .filter(p -> !name(p).equals("default-deny"))
              .filter(p -> selectsPods(p, deployment))
              .toList();
      assertThat(policies).as("the NetworkPolicy of " + deployment).hasSize(1);
      Node policy = policies.get(0);
      assertThat(policy.at("spec.policyTypes").list().stream().map(Node::text))
          .as(policy.where())
          .containsExactlyInAnyOrder("Ingress", "Egress");
      boolean member = podLabels(deployment).containsKey(BUS_LABEL);
      boolean gateway = name(deployment).equals(deploymentName(Service.GATEWAY));

      Set<String> in = new java.util.TreeSet<>();
      for (Node rule : policy.find("spec.ingress").map(Node::list).orElse(List.of())) {
        for (Node peer : rule.at("from").list()) {
          for (Node port : rule.at("ports").list()) {
            in.add(peerName(peer) + ":" + port.at("port").integer());
          }
        }
      }
      Set<String> expectedIn = new java.util.TreeSet<>();
      if (member) {
        expectedIn.addAll(
            Set.of(
                "bus:" + clusterPort,
                "bus:" + busPort,
                "namespace monitoring:" + config.get(Settings.envName("management.port"))));
      }
      if (gateway) {
        expectedIn.add(
            "namespace ingress-nginx:"
                + Integer.parseInt(config.get(Settings.envName("http.port"))));
      }
      assertThat(in).as(policy.where() + " ingress").isEqualTo(expectedIn);
      if (member) {
        Node container = container(deployment);
        assertThat(containerPort(container, new Node("event-bus port", "event-bus")))
            .isEqualTo(busPort);
        assertThat(containerPort(container, new Node("hazelcast port", "hazelcast")))
            .isEqualTo(clusterPort);
      }

      Set<String> out = new java.util.TreeSet<>();
      for (Node rule : policy.at("spec.egress").list()) {
        assertThat(rule.find("to")).as(rule.where() + " names its peers").isPresent();
        for (Node peer : rule.at("to").list()) {
          for (Node port : rule.at("ports").list()) {
            out.add(
                peerName(peer)
                    + ":"
                    + port.at("port").integer()
                    + "/"
                    + port.find("protocol").map(Node::text).orElse("TCP"));
          }
        }
      }
      Set<String> expectedOut =
          new java.util.TreeSet<>(
              Set.of("kafka:" + KAFKA_PORT + "/TCP", "dns:53/UDP", "dns:53/TCP"));
      if (member) {
        expectedOut.addAll(
            Set.of(
                "bus:" + clusterPort + "/TCP",
                "bus:" + busPort + "/TCP",
                "postgresql:" + pgPort + "/TCP"));
      }
      assertThat(out).as(policy.where() + " egress").isEqualTo(expectedOut);
    }
  }

  @Test
  @DisplayName(
      "the notifier runs once, from its image, with its state and outbox on a persistent volume and"
          + " the Kafka settings of the services")
  void notifier() throws IOException {
    Node deployment = resource("Deployment", NOTIFIER);
    Node container = container(deployment);
    assertThat(deployment.at("spec.replicas").integer()).as(deployment.where()).isEqualTo(1);
    assertThat(deployment.at("spec.strategy.type").text())
        .as("never two pods on one volume")
        .isEqualTo("Recreate");
    assertThat(container.at("image").text()).isEqualTo(NOTIFIER_IMAGE);
    assertThat(podLabels(deployment))
        .containsEntry(NAME_LABEL, NOTIFIER)
        .containsEntry(PART_OF_LABEL, PART_OF);
    assertThat(podLabels(deployment))
        .containsAllEntriesOf(deployment.at("spec.selector.matchLabels").map());
    Map<String, String> env = environment(container);
    assertThat(env).containsKey(Settings.envName("kafka"));
    assertThat(notifierVariables())
        .as("it names its group <kafka.group-prefix>-notifier, as acls.sh lets it read in")
        .contains(Settings.envName("kafka.group-prefix"), Settings.envName("kafka.topic-prefix"));
    assertThat(env.get("BAEDAL_NOTIFIER_SENDER")).isEqualTo("outbox");

    Node claimVolume =
        single(
            deployment.at("spec.template.spec.volumes").list().stream()
                .filter(v -> v.find("persistentVolumeClaim").isPresent()),
            "volume from a claim");
    Node claim =
        resource("PersistentVolumeClaim", claimVolume.at("persistentVolumeClaim.claimName").text());
    assertThat(claim.at("spec.accessModes").list().stream().map(Node::text))
        .containsExactly("ReadWriteOnce");
    assertThat(claim.at("spec.resources.requests.storage").text()).isNotBlank();
    Node mount =
        single(
            container.at("volumeMounts").list().stream()
                .filter(m -> m.at("name").text().equals(claimVolume.at("name").text())),
            "mount of the claim");
    String dir = mount.at("mountPath").text();
    assertThat(Path.of(env.get("BAEDAL_DATA_DIR")))
        .as("BAEDAL_DATA_DIR (its state and outbox) on the volume")
        .isEqualTo(Path.of(dir));
    assertThat(deployment.at("spec.template.spec.securityContext.runAsUser").integer())
        .isEqualTo(APP_UID);
    assertThat(deployment.at("spec.template.spec.securityContext.fsGroup").integer())
        .as("the volume is writable")
        .isEqualTo(APP_UID);
  }

  @Test
  @DisplayName(
      "the Ingress sends the public host, /ws/ included, to the gateway's Service over TLS, with"
          + " proxy timeouts that keep a quiet WebSocket open")
  void ingress() {
    Node ingress = single(ofKind("Ingress"), "Ingress");
    Map<String, String> config = data(resource("ConfigMap", "baedal-config"));
    java.net.URI publicUrl = java.net.URI.create(config.get(Settings.envName("public.url")));
    assertThat(publicUrl.getScheme()).isEqualTo("https");
    assertThat(ingress.at("spec.ingressClassName").text()).isNotBlank();
    Node tls = single(ingress.at("spec.tls").list().stream(), "tls entry");
    assertThat(tls.at("hosts").list().stream().map(Node::text))
        .containsExactly(publicUrl.getHost());
    assertThat(tls.at("secretName").text()).isNotBlank();
    Node rule = single(ingress.at("spec.rules").list().stream(), "rule");
    assertThat(rule.at("host").text()).isEqualTo(publicUrl.getHost());
    Node path = single(rule.at("http.paths").list().stream(), "path");
    assertThat(path.at("path").text()).isEqualTo("/");
    assertThat(path.at("pathType").text()).as("/ covers /ws/ and /api/").isEqualTo("Prefix");
    Node gatewayService =
        single(
            ofKind("Service")
                .filter(s -> !isHeadless(s) && selects(s, deployment(Service.GATEWAY))),
            "Service of the gateway");
    assertThat(path.at("backend.service.name").text()).isEqualTo(name(gatewayService));
    String portName = path.at("backend.service.port.name").text();
    assertThat(gatewayService.at("spec.ports").list())
        .anySatisfy(p -> assertThat(p.at("name").text()).isEqualTo(portName));
    Map<String, Object> annotations = ingress.at("metadata.annotations").map();
    for (String timeout : List.of("proxy-read-timeout", "proxy-send-timeout")) {
      assertThat(
              Integer.parseInt((String) annotations.get("nginx.ingress.kubernetes.io/" + timeout)))
          .as(timeout + " in seconds")
          .isGreaterThanOrEqualTo(3600);
    }
  }

  @Test
  @DisplayName(
      "deploy/Dockerfile builds both images the manifests run, as the pods' user, from files the"
          + " build context admits; the notifier's installs requirements.txt")
  void images() throws IOException {
    String dockerfile = Files.readString(DOCKERFILE);
    List<String> lines = dockerfile.lines().map(String::strip).toList();
    Map<String, List<String>> stages = new LinkedHashMap<>();
    List<String> current = null;
    for (String line : lines) {
      java.util.regex.Matcher from =
          java.util.regex.Pattern.compile("(?i)^FROM \\S+ AS (\\S+)$").matcher(line);
      if (from.matches()) {
        current = new ArrayList<>();
        stages.put(from.group(1), current);
      } else if (current != null && !line.isEmpty() && !line.startsWith("#")) {
        current.add(line);
      }
    }
    Set<String> images =
        ofKind("Deployment").map(d -> container(d).at("image").text()).collect(Collectors.toSet());
    assertThat(images).containsExactlyInAnyOrder(IMAGE, NOTIFIER_IMAGE);
    for (String image : images) {
      java.util.regex.Matcher build =
          java.util.regex.Pattern.compile(
                  "docker build -f deploy/Dockerfile --target (\\S+) -t "
                      + java.util.regex.Pattern.quote(image)
                      + " \\.")
              .matcher(dockerfile);
      assertThat(build.find()).as("the Dockerfile says how to build " + image).isTrue();
      List<String> stage = stages.get(build.group(1));
      assertThat(stage).as("stage " + build.group(1)).isNotNull();
      assertThat(stage)
          .as(image + " runs as the pods' user")
          .contains("USER " + APP_UID + ":" + APP_UID);
    }
    assertThat(stages.get("notifier"))
        .anySatisfy(l -> assertThat(l).matches("RUN pip install .*-r .*requirements\\.txt.*"));
    List<String> ignore =
        Files.readAllLines(Path.of(DOCKERFILE + ".dockerignore")).stream()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();
    for (List<String> stage : stages.values()) {
      for (String line : stage) {
        if (line.startsWith("COPY ") && !line.contains("--from=")) {
          String[] words = line.split("\\s+");
          for (String source : List.of(words).subList(1, words.length - 1)) {
            if (source.equals("launcher/target/baedal.jar")) {
              // Built by the launcher's `mvn package`: the launcher's pom names it.
              assertThat(Files.readString(Path.of("..", "launcher", "pom.xml")))
                  .as(line)
                  .contains("<finalName>baedal</finalName>");
            } else {
              assertThat(Path.of("..", source)).as(line).exists();
            }
            assertThat(admitted(ignore, source))
                .as(source + " in the build context (" + DOCKERFILE + ".dockerignore)")
                .isTrue();
          }
        }
      }
    }
  }

  /**
   * Whether a .dockerignore's patterns (the last match wins; "*" and "!path[/...]") keep {@code
   * path}.
   */
  private static boolean admitted(List<String> patterns, String path) {
    boolean admitted = true;
    for (String pattern : patterns) {
      boolean negated = pattern.startsWith("!");
      String p = negated ? pattern.substring(1) : pattern;
      boolean matches =
          p.equals("*")
              || path.equals(p)
              || path.startsWith(p + "/")
              || (p.endsWith("/**") && path.startsWith(p.substring(0, p.length() - 3)));
      if (matches) {
        admitted = negated;
      }
    }
    return admitted;
  }

  // --- Kafka, policies and the notifier

  /** The port of Kafka's SASL_SSL listener that the ConfigMap and the NetworkPolicies name. */
  private static final int KAFKA_PORT = 9093;

  /** The users that deploy/kafka/acls.sh knows (its USERS=(...) line). */
  private static Set<String> scriptUsers() throws IOException {
    String line =
        Files.readAllLines(KafkaAcls.SCRIPT).stream()
            .filter(l -> l.startsWith("USERS=("))
            .findFirst()
            .orElseThrow();
    return Set.of(line.substring("USERS=(".length(), line.length() - 1).split(" "));
  }

  /** The variables that the Python notifier reads (named in its config.py). */
  private static Set<String> notifierVariables() {
    try {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("\"(BAEDAL_[A-Z_]+)\"")
              .matcher(Files.readString(NOTIFIER_CONFIG));
      Set<String> names = new java.util.TreeSet<>();
      while (m.find()) {
        names.add(m.group(1));
      }
      assertThat(names)
          .contains("BAEDAL_NOTIFIER_STATE", "BAEDAL_KAFKA", "BAEDAL_KAFKA_SASL_PASSWORD");
      return names;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static boolean selectsPods(Node policy, Node deployment) {
    Map<String, Object> labels = podLabels(deployment);
    Map<String, Object> match =
        policy.at("spec.podSelector").find("matchLabels").map(Node::map).orElse(Map.of());
    return !match.isEmpty()
        && match.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  /** A short name for a policy peer: bus, kafka, postgresql, dns, or "namespace NAME". */
  private static String peerName(Node peer) {
    Map<String, Object> pods = peer.find("podSelector.matchLabels").map(Node::map).orElse(Map.of());
    Map<String, Object> namespaces =
        peer.find("namespaceSelector.matchLabels").map(Node::map).orElse(Map.of());
    assertThat(peer.find("ipBlock")).as(peer.where() + " no address ranges").isEmpty();
    assertThat(pods.isEmpty() && namespaces.isEmpty())
        .as(peer.where() + " names its peers")
        .isFalse();
    if ("kube-dns".equals(pods.get("k8s-app"))
        && "kube-system".equals(namespaces.get("kubernetes.io/metadata.name"))) {
      return "dns";
    }
    if (!namespaces.isEmpty()) {
      assertThat(pods).as(peer.where() + " any pod of the namespace").isEmpty();
      return "namespace " + namespaces.get("kubernetes.io/metadata.name");
    }
    if ("member".equals(pods.get(BUS_LABEL))) {
      return "bus";
    }
    return String.valueOf(pods.get(NAME_LABEL));
  }

  /**
   * {@code env} with the trust store's path replaced by a local copy of what the container mounts
   * there (a ConfigMap's key), so that Settings can check the file; unchanged if none is set.
   */
  private static Map<String, String> mounted(Node container, Map<String, String> env) {
    String variable = Settings.envName("kafka.ssl.truststore-location");
    String location = env.get(variable);
    if (location == null || location.isEmpty()) {
      return env;
    }
    Path file = Path.of(location);
    Node mount =
        single(
            container.at("volumeMounts").list().stream()
                .filter(m -> file.getParent().equals(Path.of(m.at("mountPath").text()))),
            "mount of " + location);
    Node pod =
        resources.stream()
            .filter(r -> kind(r).equals("Deployment"))
            .filter(d -> container(d).equals(container))
            .findFirst()
            .orElseThrow();
    Node volume =
        single(
            pod.at("spec.template.spec.volumes").list().stream()
                .filter(v -> v.at("name").text().equals(mount.at("name").text())),
            "volume " + mount.at("name").text());
    String content =
        data(resource("ConfigMap", volume.at("configMap.name").text()))
            .get(file.getFileName().toString());
    assertThat(content).as("%s names a key of the mounted ConfigMap", location).isNotNull();
    try {
      Path copy = Files.createTempFile("baedal-truststore", ".pem");
      copy.toFile().deleteOnExit();
      Files.writeString(copy, content);
      Map<String, String> local = new LinkedHashMap<>(env);
      local.put(variable, copy.toString());
      return local;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // --- reading the manifests

  /** The resource files of {@code dir}: every YAML file but the kustomization. */
  private static List<String> manifestFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(f -> f.endsWith(".yaml") || f.endsWith(".yml"))
          .filter(f -> !f.equals(KUSTOMIZATION))
          .sorted()
          .toList();
    }
  }

  /** The documents of {@code file}, each described by its kind, name and file. */
  private static List<Node> documents(Path dir, String file) throws IOException {
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    List<Node> documents = new ArrayList<>();
    try (Reader in = Files.newBufferedReader(dir.resolve(file), StandardCharsets.UTF_8)) {
      for (Object document : yaml.loadAll(in)) {
        if (document != null) {
          Node node = new Node(file, document);
          String kind = node.find("kind").map(n -> String.valueOf(n.value())).orElse("?");
          String name = node.find("metadata.name").map(n -> String.valueOf(n.value())).orElse("?");
          documents.add(new Node(kind + " " + name + " (" + file + ")", document));
        }
      }
    } catch (YAMLException e) {
      throw new AssertionError(file + " is not valid YAML: " + e.getMessage(), e);
    }
    assertThat(documents).as(file).isNotEmpty();
    return documents;
  }

  private static String kind(Node resource) {
    return resource.at("kind").text();
  }

  private static String name(Node resource) {
    return resource.at("metadata.name").text();
  }

  private static Stream<Node> ofKind(String kind) {
    return resources.stream().filter(r -> kind(r).equals(kind));
  }

  private static Node resource(String kind, String name) {
    return single(ofKind(kind).filter(r -> name(r).equals(name)), kind + " " + name);
  }

  private static Node single(Stream<Node> nodes, String what) {
    List<Node> found = nodes.toList();
    assertThat(found).as("exactly one " + what).hasSize(1);
    return found.get(0);
  }

  private static String deploymentName(Service service) {
    return "baedal-" + service.id();
  }

  private static Node deployment(Service service) {
    return resource("Deployment", deploymentName(service));
  }

  private static Map<String, Object> podLabels(Node deployment) {
    return deployment.at("spec.template.metadata.labels").map();
  }

  private static boolean isHeadless(Node service) {
    return service.find("spec.clusterIP").map(ip -> ip.value().equals("None")).orElse(false);
  }

  private static boolean selects(Node service, Node deployment) {
    Map<String, Object> labels = podLabels(deployment);
    return service.at("spec.selector").map().entrySet().stream()
        .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  /** The Deployment's one container (Baedal runs no sidecars). */
  private static Node container(Node deployment) {
    return single(deployment.at("spec.template.spec.containers").list().stream(), "container");
  }

  /** The port number that {@code ref} (a number or a name) stands for among the declared ones. */
  private static int containerPort(Node container, Node ref) {
    Function<Node, Object> key =
        ref.value() instanceof String
            ? p -> p.at("name").value()
            : p -> p.at("containerPort").value();
    return single(
            container.at("ports").list().stream().filter(p -> ref.value().equals(key.apply(p))),
            ref.where() + " " + ref.value() + " among " + container.where() + ".ports")
        .at("containerPort")
        .integer();
  }

  private static void assertProbe(Node container, String probe, String path, int port) {
    Node get = container.at(probe + ".httpGet");
    assertThat(get.at("path").text()).as(get.where()).isEqualTo(path);
    assertThat(containerPort(container, get.at("port"))).as(get.where()).isEqualTo(port);
  }

  // --- the environment

  private static List<Node> env(Node container) {
    return container.find("env").map(Node::list).orElse(List.of());
  }

  private static Optional<Node> envEntry(Node container, String name) {
    return env(container).stream().filter(e -> e.at("name").text().equals(name)).findFirst();
  }

  /** A ConfigMap's data, or a Secret's data (decoded) and stringData; every value a string. */
  private static Map<String, String> data(Node resource) {
    boolean secret = kind(resource).equals("Secret");
    Map<String, String> data = new LinkedHashMap<>();
    for (String field : List.of("data", "stringData")) {
      Optional<Node> values = resource.find(field);
      for (String key : values.map(v -> v.map().keySet()).orElse(Set.of())) {
        String value = values.get().child(key).text();
        data.put(key, secret && field.equals("data") ? decode(value) : value);
      }
    }
    return data;
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  /**
   * The variables with a value that the container gets: from its envFrom ConfigMaps and Secrets in
   * order, then its env values, which win.
   */
  private static Map<String, String> environment(Node container) {
    Map<String, String> variables = new LinkedHashMap<>();
    for (Node source : container.find("envFrom").map(Node::list).orElse(List.of())) {
      source
          .find("configMapRef.name")
          .ifPresent(n -> variables.putAll(data(resource("ConfigMap", n.text()))));
      source
          .find("secretRef.name")
          .ifPresent(n -> variables.putAll(data(resource("Secret", n.text()))));
    }
    for (Node entry : env(container)) {
      entry.find("value").ifPresent(v -> variables.put(entry.at("name").text(), v.text()));
    }
    return variables;
  }

  /** The names of the variables the container takes from an existing Secret's keys. */
  private static Set<String> secretVariables(Node container) {
    Stream<String> fromSecrets =
        container.find("envFrom").map(Node::list).orElse(List.of()).stream()
            .flatMap(s -> s.find("secretRef.name").stream())
            .flatMap(n -> data(resource("Secret", n.text())).keySet().stream());
    Stream<String> fromKeys =
        env(container).stream()
            .filter(e -> e.find("valueFrom.secretKeyRef").isPresent())
            .filter(
                e ->
                    data(resource("Secret", e.at("valueFrom.secretKeyRef.name").text()))
                        .containsKey(e.at("valueFrom.secretKeyRef.key").text()))
            .map(e -> e.at("name").text());
    return Stream.concat(fromSecrets, fromKeys).collect(Collectors.toSet());
  }

  /** Variable name to setting, e.g. BAEDAL_HTTP_PORT to http.port. */
  private static Map<String, String> knownVariables() {
    return Settings.describe().keySet().stream()
        .collect(Collectors.toMap(Settings::envName, Function.identity()));
  }

  /** The value of a setting in {@code env}, or its default. */
  private static String setting(Map<String, String> env, String key) {
    return env.getOrDefault(Settings.envName(key), String.valueOf(Settings.describe().get(key)));
  }

  /** The settings among {@code env}, as the flat JSON that {@link Settings#of} validates. */
  private static JsonObject settingsOf(Map<String, String> env) {
    Map<String, String> known = knownVariables();
    JsonObject flat = new JsonObject();
    env.forEach(
        (name, value) -> {
          if (known.containsKey(name)) {
            flat.put(known.get(name), value);
          }
        });
    return flat;
  }

  /** A node of a parsed document and where it is, for the failure messages. */
  record Node(String where, Object value) {
    /** The node at a dotted path, failing with the path when a part is missing. */
    Node at(String path) {
      return find(path).orElseGet(() -> fail("%s.%s is missing", where, path));
    }

    /** The node at a dotted path, if there is one. */
    Optional<Node> find(String path) {
      Optional<Node> node = Optional.of(this);
      for (String key : path.split("\\.")) {
        node = node.flatMap(n -> Optional.ofNullable(n.map().get(key)).map(v -> n.child(key)));
      }
      return node;
    }

    /** The value of {@code key} (which may contain dots, like a label's). */
    Node child(String key) {
      Object child = map().get(key);
      if (child == null) {
        return fail("%s.%s is missing", where, key);
      }
      return new Node(where + "." + key, child);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map() {
      assertThat(value).as(where + " is a mapping").isInstanceOf(Map.class);
      return (Map<String, Object>) value;
    }

    List<Node> list() {
      assertThat(value).as(where + " is a list").isInstanceOf(List.class);
      List<?> items = (List<?>) value;
      return IntStream.range(0, items.size())
          .mapToObj(i -> new Node(where + "[" + i + "]", items.get(i)))
          .toList();
    }

    String text() {
      assertThat(value).as(where + " is a string").isInstanceOf(String.class);
      return (String) value;
    }

    int integer() {
      assertThat(value).as(where + " is an integer").isInstanceOf(Integer.class);
      return (Integer) value;
    }

    @Override
    public String toString() {
      return where;
    }
  }
}

package dev.baedal.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.fail;

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
 * The Kubernetes manifests in {@code deploy/k8s} parse, fit together and fit the app: a Deployment
 * per {@link Service}, probes on the port the app serves, only settings the app knows, one
 * Hazelcast cluster of every pod, autoscalers over Deployments with CPU requests. They are not
 * applied to a cluster here.
 */
class K8sManifestsTest {
  private static final Path DIR = Path.of("..", "deploy", "k8s");
  private static final String KUSTOMIZATION = "kustomization.yaml";
  private static final String NAMESPACE = "baedal";
  private static final String IMAGE = "baedal:0.1.0";
  private static final String NAME_LABEL = "app.kubernetes.io/name";
  private static final String PART_OF_LABEL = "app.kubernetes.io/part-of";
  private static final String PART_OF = "baedal";
  private static final Set<String> SCALED = Set.of("baedal-order", "baedal-payment");

  /** How long the app's shutdown hook waits for the services to stop (Baedal.stopOnExit). */
  private static final int SHUTDOWN_SECONDS = 30;

  private static List<Node> resources;

  @BeforeAll
  static void parse() throws IOException {
    resources = new ArrayList<>();
    for (String file : manifestFiles()) {
      resources.addAll(documents(file));
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
    Node kustomization = documents(KUSTOMIZATION).get(0);
    assertThat(kind(kustomization)).isEqualTo("Kustomization");
    List<String> listed = kustomization.at("resources").list().stream().map(Node::text).toList();
    assertThat(listed)
        .as("%s resources, against the files of %s", KUSTOMIZATION, DIR)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(manifestFiles());
  }

  @Test
  @DisplayName("there is a Deployment for every service and for nothing else")
  void deploymentPerService() {
    assertThat(ofKind("Deployment").map(K8sManifestsTest::name))
        .containsExactlyInAnyOrderElementsOf(
            Stream.of(Service.values()).map(K8sManifestsTest::deploymentName).toList());
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
      "the probes ask /health/live and /health/ready on the port the app serves on 0.0.0.0")
  void probes(Service service) {
    Node container = container(deployment(service));
    Map<String, String> env = environment(container);
    assertThat(setting(env, "http.host")).as(container.where()).isEqualTo("0.0.0.0");
    int httpPort = Integer.parseInt(setting(env, "http.port"));
    assertProbe(container, "startupProbe", "/health/live", httpPort);
    assertProbe(container, "livenessProbe", "/health/live", httpPort);
    assertProbe(container, "readinessProbe", "/health/ready", httpPort);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Service.class)
  @DisplayName("the pod gets the Secret, valid settings and its own IP as cluster.host")
  void environment(Service service) {
    Node container = container(deployment(service));
    assertThat(secretVariables(container))
        .as(container.where() + " variables from a Secret")
        .contains(Settings.envName("jwt.secret"), Settings.envName("pg.url"));
    Map<String, String> env = environment(container);
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
    Stream.concat(ofKind("ConfigMap"), ofKind("Secret"))
        .forEach(r -> assertThat(data(r).keySet()).as(r.where()).isSubsetOf(known));
    ofKind("Deployment")
        .map(K8sManifestsTest::container)
        .forEach(
            c ->
                assertThat(env(c).stream().map(e -> e.at("name").text()))
                    .as(c.where() + ".env")
                    .isSubsetOf(known));
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

  // --- reading the manifests

  /** The resource files of the directory: every YAML file but the kustomization. */
  private static List<String> manifestFiles() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(f -> f.endsWith(".yaml") || f.endsWith(".yml"))
          .filter(f -> !f.equals(KUSTOMIZATION))
          .sorted()
          .toList();
    }
  }

  /** The documents of {@code file}, each described by its kind, name and file. */
  private static List<Node> documents(String file) throws IOException {
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    List<Node> documents = new ArrayList<>();
    try (Reader in = Files.newBufferedReader(DIR.resolve(file), StandardCharsets.UTF_8)) {
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

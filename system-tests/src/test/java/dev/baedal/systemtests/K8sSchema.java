package dev.baedal.systemtests;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.annotations.SerializedName;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A strict check of a Kubernetes resource against the API's schema, as the API server's strict
 * field validation would do it: the official Java client's model classes, generated from the
 * OpenAPI schema of Kubernetes 1.32, refuse unknown and missing required fields ({@code
 * validateJsonElement}), and a walk over their field types refuses values of the wrong JSON type (a
 * string where an integer belongs, an object where a list does). Values of an enumeration (e.g. a
 * port's protocol) are not in the generated types; the semantic tests check the ones that matter.
 */
final class K8sSchema {
  /** The kinds deploy/ uses, by {@code apiVersion/kind}, and their generated types. */
  private static final Map<String, Class<?>> KINDS =
      Map.ofEntries(
          Map.entry("v1/Namespace", V1Namespace.class),
          Map.entry("v1/ConfigMap", V1ConfigMap.class),
          Map.entry("v1/Secret", V1Secret.class),
          Map.entry("v1/Service", V1Service.class),
          Map.entry("v1/PersistentVolumeClaim", V1PersistentVolumeClaim.class),
          Map.entry("apps/v1/Deployment", V1Deployment.class),
          Map.entry("batch/v1/Job", V1Job.class),
          Map.entry("autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class),
          Map.entry("networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class),
          Map.entry("networking.k8s.io/v1/Ingress", V1Ingress.class));

  private static final Gson GSON = new Gson();

  private K8sSchema() {}

  /** The schema violations of one parsed YAML document; empty when it is valid. */
  static List<String> violations(Object document) {
    JsonElement json = GSON.toJsonTree(document);
    if (!json.isJsonObject()) {
      return List.of("not a mapping");
    }
    JsonObject object = json.getAsJsonObject();
    String key = text(object, "apiVersion") + "/" + text(object, "kind");
    Class<?> type = KINDS.get(key);
    if (type == null) {
      return List.of(key + " is not an API kind known here: " + KINDS.keySet());
    }
    List<String> errors = new ArrayList<>();
    try {
      type.getMethod("validateJsonElement", JsonElement.class).invoke(null, json);
    } catch (InvocationTargetException e) {
      errors.add(e.getCause().getMessage().replaceAll(" JSON: .*", ""));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    walk(type, json, "", errors);
    return errors;
  }

  private static String text(JsonObject object, String field) {
    JsonElement value = object.get(field);
    return value != null && value.isJsonPrimitive() ? value.getAsString() : "?";
  }

  /** Checks that {@code json} has the JSON type of {@code type}, recursively. */
  private static void walk(Type type, JsonElement json, String path, List<String> errors) {
    if (json == null || json.isJsonNull()) {
      return;
    }
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type item = p.getActualTypeArguments()[p.getActualTypeArguments().length - 1];
      if (List.class.isAssignableFrom(raw)) {
        if (!expect(json.isJsonArray(), "a list", json, path, errors)) {
          return;
        }
        for (int i = 0; i < json.getAsJsonArray().size(); i++) {
          walk(item, json.getAsJsonArray().get(i), path + "[" + i + "]", errors);
        }
      } else if (Map.class.isAssignableFrom(raw)) {
        if (!expect(json.isJsonObject(), "a mapping", json, path, errors)) {
          return;
        }
        json.getAsJsonObject()
            .entrySet()
            .forEach(e -> walk(item, e.getValue(), path + "." + e.getKey(), errors));
      }
      return;
    }
    Class<?> c = (Class<?>) type;
    if (c == String.class || c == OffsetDateTime.class || c == byte[].class) {
      expect(isString(json), "a string", json, path, errors);
    } else if (c == Integer.class || c == Long.class) {
      expect(
          isNumber(json) && json.getAsBigDecimal().stripTrailingZeros().scale() <= 0,
          "an integer",
          json,
          path,
          errors);
    } else if (c == Double.class || c == Float.class) {
      expect(isNumber(json), "a number", json, path, errors);
    } else if (c == Boolean.class) {
      expect(
          json.isJsonPrimitive() && json.getAsJsonPrimitive().isBoolean(),
          "true or false",
          json,
          path,
          errors);
    } else if (c == IntOrString.class || c == Quantity.class) {
      expect(isString(json) || isNumber(json), "a number or a string", json, path, errors);
    } else if (c.getPackageName().equals(V1Deployment.class.getPackageName())) {
      if (!expect(json.isJsonObject(), "a mapping", json, path, errors)) {
        return;
      }
      for (Map.Entry<String, JsonElement> e : json.getAsJsonObject().entrySet()) {
        Field field = field(c, e.getKey());
        if (field == null) {
          errors.add(path + "." + e.getKey() + ": not a field of " + c.getSimpleName());
        } else {
          walk(field.getGenericType(), e.getValue(), path + "." + e.getKey(), errors);
        }
      }
    }
    // any other type (Object: free-form JSON) takes any value
  }

  private static Field field(Class<?> type, String name) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        SerializedName serialized = f.getAnnotation(SerializedName.class);
        if (serialized != null && serialized.value().equals(name)) {
          return f;
        }
      }
    }
    return null;
  }

  private static boolean isString(JsonElement json) {
    return json.isJsonPrimitive() && json.getAsJsonPrimitive().isString();
  }

  private static boolean isNumber(JsonElement json) {
    return json.isJsonPrimitive() && json.getAsJsonPrimitive().isNumber();
  }

  private static boolean expect(
      boolean ok, String what, JsonElement json, String path, List<String> errors) {
    if (!ok) {
      errors.add(path + ": expected " + what + ", got " + describe(json));
    }
    return ok;
  }

  private static String describe(JsonElement json) {
    if (json instanceof JsonPrimitive p) {
      return (p.isString() ? "the string " : "") + p;
    }
    return json.isJsonArray() ? "a list" : "a mapping";
  }
}

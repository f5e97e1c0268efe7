package dev.baedal.gateway;

import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIContract;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * vertx-openapi 5.0 asks the contract's schema repository for a new validator for every parameter
 * and body of every request, and building one copies the repository's whole lookup table: in a
 * profile of {@code baedal bench} that was over a quarter of the process's CPU. Validators are
 * immutable, so this hands the request validator a contract whose repository builds each validator
 * once per schema (the contract's schema objects live as long as the contract) and reuses it.
 */
final class ValidatorCache {
  /** A safety net: a library that made new schema objects per request must not grow the cache. */
  private static final int MAX_VALIDATORS = 4096;

  private ValidatorCache() {}

  /** {@code contract}, except that its schema repository reuses validators. */
  static OpenAPIContract around(OpenAPIContract contract) {
    SchemaRepository repository = caching(contract.getSchemaRepository());
    return proxy(
        OpenAPIContract.class,
        (method, args) ->
            method.getName().equals("getSchemaRepository") && method.getParameterCount() == 0
                ? repository
                : call(contract, method, args));
  }

  private static SchemaRepository caching(SchemaRepository repository) {
    Map<Key, Object> validators = new ConcurrentHashMap<>();
    return proxy(
        SchemaRepository.class,
        (method, args) -> {
          if (!method.getName().equals("validator")
              || !Validator.class.equals(method.getReturnType())) {
            return call(repository, method, args);
          }
          Key key = new Key(method, args);
          Object validator = validators.get(key);
          if (validator == null) {
            validator = call(repository, method, args);
            if (validators.size() < MAX_VALIDATORS) {
              validators.put(key, validator);
            }
          }
          return validator;
        });
  }

  /** A method and its arguments, the arguments compared by identity. */
  private record Key(Method method, Object[] args) {
    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Key k) || !method.equals(k.method) || args.length != k.args.length) {
        return false;
      }
      for (int i = 0; i < args.length; i++) {
        if (args[i] != k.args[i]) {
          return false;
        }
      }
      return true;
    }

    @Override
    public int hashCode() {
      int h = method.hashCode();
      for (Object a : args) {
        h = 31 * h + System.identityHashCode(a);
      }
      return h;
    }

    @Override
    public String toString() {
      return method.getName() + Arrays.toString(args);
    }
  }

  private interface Call {
    Object apply(Method method, Object[] args) throws Throwable;
  }

  private static <T> T proxy(Class<T> type, Call call) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (self, method, args) -> call.apply(method, args == null ? new Object[0] : args)));
  }

  private static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}

package dev.baedal.launcher;

import java.util.concurrent.TimeUnit;

/** What this process has started, in the order it stops it. */
final class Running {
  volatile NotifierProcess notifier;
  volatile Node node;
  volatile LocalInfra infra;

  /** Registers the Ctrl-C / SIGTERM hook that stops whatever {@link Running} holds by then. */
  static Running stopOnExit() {
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
                      System.err.println("services did not stop cleanly: " + Baedal.rootMessage(e));
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
}

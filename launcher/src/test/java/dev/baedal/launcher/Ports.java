package dev.baedal.launcher;

import java.io.IOException;
import java.net.ServerSocket;

/** Ports for the cluster members a test starts in its own JVM. */
final class Ports {
  private Ports() {}

  /** A TCP port that is free on this machine now. */
  static int free() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}

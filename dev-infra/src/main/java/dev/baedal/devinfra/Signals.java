package dev.baedal.devinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * POSIX signals to whole process trees, which {@link ProcessHandle} cannot send (it knows TERM and
 * KILL only): {@code SIGSTOP} and {@code SIGCONT} for a machine that stalls, {@code SIGKILL} for
 * one that dies. Linux only (it reads {@code /proc}).
 */
public final class Signals {
  private Signals() {}

  /** {@code pid} and every process below it, the root first. */
  public static List<Long> tree(long pid) {
    List<Long> pids = new ArrayList<>();
    pids.add(pid);
    ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
    return pids;
  }

  /**
   * Stops {@code pid} first (so that it starts no new child), then everything below it, and returns
   * the processes stopped once each of them is stopped (a signal is delivered when the process is
   * next scheduled, not when kill returns).
   */
  public static List<Long> stopTree(long pid) {
    send("STOP", List.of(pid));
    List<Long> pids = tree(pid);
    send("STOP", pids);
    awaitState(pids, true);
    return pids;
  }

  /** Lets {@code pid} and everything below it run again; returns once none of them is stopped. */
  public static void continueTree(long pid) {
    List<Long> pids = tree(pid);
    send("CONT", pids);
    awaitState(pids, false);
  }

  private static void awaitState(List<Long> pids, boolean stopped) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!pids.stream().allMatch(p -> (state(p) == 'T') == stopped || state(p) == 'X')) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "processes " + pids + " did not " + (stopped ? "stop" : "continue") + " within 10 s");
      }
      try {
        Thread.sleep(5); // the poll's interval, under the deadline above
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** SIGKILL to {@code pid} and everything below it; returns once all of them are gone. */
  public static void killTree(long pid) {
    send("STOP", List.of(pid)); // a stopped parent starts no replacement while its children die
    List<Long> pids = tree(pid);
    send("KILL", pids);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (long p : pids) {
      ProcessHandle.of(p)
          .ifPresent(
              h -> {
                try {
                  h.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (Exception e) {
                  throw new IllegalStateException("process " + p + " survived SIGKILL", e);
                }
              });
    }
  }

  /**
   * The scheduler's state letter of {@code pid} from {@code /proc/<pid>/stat} ('T': stopped by a
   * signal, 'S': sleeping, 'R': running), or 'X' if there is no such process.
   */
  public static char state(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // pid (comm) state ...; comm may hold spaces and parentheses, so look after the last ')'
      return stat.charAt(stat.lastIndexOf(')') + 2);
    } catch (NoSuchFileException e) {
      return 'X';
    } catch (IOException e) {
      // a process that exits between the open and the read fails the read with ESRCH ("No such
      // process"): it is gone all the same
      if (Files.notExists(Path.of("/proc", Long.toString(pid)))) {
        return 'X';
      }
      throw new UncheckedIOException(e);
    }
  }

  private static void send(String signal, List<Long> pids) {
    List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
    pids.forEach(p -> command.add(Long.toString(p)));
    try {
      Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!kill.waitFor(10, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
        throw new IllegalStateException("kill -" + signal + " did not return");
      }
      // a child that exited meanwhile makes kill complain about it alone; the others got it
      if (kill.exitValue() != 0 && !out.contains("No such process")) {
        throw new IllegalStateException("kill -" + signal + " " + pids + " failed: " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not run kill", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

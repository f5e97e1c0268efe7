package dev.baedal.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The processes a benchmark runs against, found in {@code /proc}, and the CPU time and memory they
 * use: the {@code baedal} JVM serving the gateway's port, PostgreSQL (every {@code postgres}
 * process; the postmaster also counts the CPU of its children that have exited), the Python
 * notifier (a child of the JVM) and the benchmark itself. Each group is looked up again at every
 * reading: PostgreSQL starts a backend for each connection a pool opens, and a pool that grows
 * during the run would otherwise have its new backends' CPU left out. On a system without {@code
 * /proc} every figure is absent.
 */
final class Processes {
  static final String BAEDAL = "baedal";
  static final String POSTGRES = "postgres";
  static final String NOTIFIER = "notifier";
  static final String BENCH = "bench";

  private static final Path PROC = Path.of("/proc");
  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ, 100 on every Linux in use

  private final Map<String, Supplier<List<Long>>> groups;
  private final Map<String, List<Long>> pids = new LinkedHashMap<>();

  private Processes(Map<String, Supplier<List<Long>>> groups) {
    this.groups = groups;
  }

  /** The processes of a system whose gateway listens on {@code port} on this machine. */
  static Processes find(int port) {
    long jvm = listener(port);
    long self = ProcessHandle.current().pid();
    Map<String, Supplier<List<Long>>> groups = new LinkedHashMap<>();
    groups.put(BAEDAL, () -> jvm > 0 ? List.of(jvm) : List.of());
    groups.put(POSTGRES, () -> byName("postgres"));
    groups.put(NOTIFIER, () -> jvm > 0 ? children(jvm, "python") : List.of());
    groups.put(BENCH, () -> List.of(self));
    return of(groups);
  }

  /** Groups of processes, each found by its own lookup, run again at every reading. */
  static Processes of(Map<String, Supplier<List<Long>>> groups) {
    return new Processes(groups);
  }

  /** Which processes were found at the last reading, for the report. */
  Map<String, List<Long>> pids() {
    return pids;
  }

  private Map<String, List<Long>> lookUp() {
    groups.forEach((name, lookup) -> pids.put(name, lookup.get()));
    return pids;
  }

  /**
   * CPU seconds (user and system) each group has used so far: those of its processes now, and of
   * the children they have reaped (a backend that exits counts in the postmaster's figure).
   */
  Map<String, Double> cpuSeconds() {
    Map<String, Double> out = new LinkedHashMap<>();
    lookUp()
        .forEach(
            (name, list) -> {
              long ticks = 0;
              for (long pid : list) {
                ticks += cpuTicks(pid);
              }
              out.put(name, ticks / TICKS_PER_SECOND);
            });
    return out;
  }

  /** Proportional set size of each group in MiB (the bench excluded). */
  Map<String, Double> pssMiB() {
    Map<String, Double> out = new LinkedHashMap<>();
    lookUp()
        .forEach(
            (name, list) -> {
              if (!name.equals(BENCH)) {
                long kb = 0;
                for (long pid : list) {
                  kb += pssKb(pid);
                }
                out.put(name, kb / 1024.0);
              }
            });
    return out;
  }

  /** utime + stime, and for a process whose children exit (the postmaster) theirs too. */
  private static long cpuTicks(long pid) {
    String[] f = stat(pid);
    if (f == null) {
      return 0;
    }
    // fields after the command: state is [0], utime [11], stime [12], cutime [13], cstime [14]
    return Long.parseLong(f[11])
        + Long.parseLong(f[12])
        + Long.parseLong(f[13])
        + Long.parseLong(f[14]);
  }

  private static long pssKb(long pid) {
    try {
      for (String line : Files.readAllLines(PROC.resolve(pid + "/smaps_rollup"))) {
        if (line.startsWith("Pss:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone, or not ours to read
    }
    return 0;
  }

  /** The fields of /proc/pid/stat after the command name (which may hold spaces). */
  private static String[] stat(long pid) {
    try {
      String s = Files.readString(PROC.resolve(pid + "/stat"));
      return s.substring(s.lastIndexOf(')') + 2).split(" ");
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static long parent(long pid) {
    String[] f = stat(pid);
    return f == null ? -1 : Long.parseLong(f[1]);
  }

  private static String comm(long pid) {
    try {
      return Files.readString(PROC.resolve(pid + "/comm")).trim();
    } catch (IOException e) {
      return "";
    }
  }

  private static List<Long> all() {
    List<Long> out = new ArrayList<>();
    try (Stream<Path> entries = Files.list(PROC)) {
      entries
          .map(p -> p.getFileName().toString())
          .filter(n -> n.chars().allMatch(Character::isDigit))
          .forEach(n -> out.add(Long.parseLong(n)));
    } catch (IOException e) {
      // no /proc
    }
    return out;
  }

  private static List<Long> byName(String name) {
    return all().stream().filter(pid -> comm(pid).equals(name)).toList();
  }

  static List<Long> children(long parent, String namePrefix) {
    return all().stream()
        .filter(pid -> parent(pid) == parent && comm(pid).startsWith(namePrefix))
        .toList();
  }

  /** The process with a listening TCP socket on {@code port}, or -1. */
  private static long listener(int port) {
    String inode = listeningInode(port);
    if (inode == null) {
      return -1;
    }
    String target = "socket:[" + inode + "]";
    for (long pid : all()) {
      try (Stream<Path> fds = Files.list(PROC.resolve(pid + "/fd"))) {
        boolean has =
            fds.anyMatch(
                fd -> {
                  try {
                    return Files.readSymbolicLink(fd).toString().equals(target);
                  } catch (IOException e) {
                    return false;
                  }
                });
        if (has) {
          return pid;
        }
      } catch (IOException | RuntimeException e) {
        // not ours to read
      }
    }
    return -1;
  }

  private static String listeningInode(int port) {
    String hexPort = String.format(":%04X", port);
    for (String table : List.of("net/tcp", "net/tcp6")) {
      try {
        for (String line : Files.readAllLines(PROC.resolve(table))) {
          String[] f = line.trim().split("\\s+");
          // local_address is [1], st is [3] (0A = LISTEN), inode is [9]
          if (f.length > 9 && f[1].endsWith(hexPort) && f[3].equals("0A")) {
            return f[9];
          }
        }
      } catch (IOException e) {
        // no such table
      }
    }
    return null;
  }
}

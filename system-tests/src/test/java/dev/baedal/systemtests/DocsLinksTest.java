package dev.baedal.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The repository documents itself: every link in {@code README.md} and {@code docs/*.md} points
 * inside the repository, to a file or directory that exists and, with a {@code #fragment}, to a
 * heading that exists (GitHub's anchors). Other Markdown files may link out, but their relative
 * links must resolve too.
 */
class DocsLinksTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** {@code [text](target)} and {@code [text](target "title")}, not images' alt text. */
  private static final Pattern INLINE =
      Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");

  /** {@code [name]: target}, a reference definition. */
  private static final Pattern REFERENCE = Pattern.compile("(?m)^\\s{0,3}\\[[^\\]]+\\]:\\s*(\\S+)");

  private static final Pattern FENCE = Pattern.compile("(?ms)^\\s*```.*?^\\s*```");
  private static final Pattern CODE = Pattern.compile("`[^`\\n]*`");

  @Test
  @DisplayName("every link of README.md and docs/*.md stays inside the repository and resolves")
  void readmeAndDocs() throws IOException {
    List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    assertThat(files).contains(ROOT.resolve("docs/api.md"));
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Path file : files) {
      for (String target : links(file)) {
        checked++;
        if (target.matches("(?i)^[a-z][a-z0-9+.-]*:.*") || target.startsWith("//")) {
          problems.add(rel(file) + ": " + target + " points outside the repository");
          continue;
        }
        String problem = resolve(file, target);
        if (problem != null) {
          problems.add(rel(file) + ": " + target + " " + problem);
        }
      }
    }
    assertThat(problems).isEmpty();
    assertThat(checked).as("links checked").isGreaterThan(10);
  }

  @Test
  @DisplayName("the relative links of every other Markdown file resolve")
  void otherMarkdown() throws IOException {
    List<String> problems = new ArrayList<>();
    try (Stream<Path> all = Files.walk(ROOT)) {
      for (Path file :
          all.filter(p -> p.toString().endsWith(".md"))
              .filter(
                  p ->
                      !ROOT.relativize(p)
                          .toString()
                          .matches("(?s).*(node_modules|target|\\.git)/.*"))
              .toList()) {
        for (String target : links(file)) {
          if (!target.matches("(?i)^[a-z][a-z0-9+.-]*:.*") && !target.startsWith("//")) {
            String problem = resolve(file, target);
            if (problem != null) {
              problems.add(rel(file) + ": " + target + " " + problem);
            }
          }
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  /** The link targets of a Markdown file, outside code blocks and code spans. */
  private static List<String> links(Path file) throws IOException {
    String text = Files.readString(file);
    text = FENCE.matcher(text).replaceAll("");
    text = CODE.matcher(text).replaceAll("");
    List<String> out = new ArrayList<>();
    for (Pattern p : List.of(INLINE, REFERENCE)) {
      Matcher m = p.matcher(text);
      while (m.find()) {
        String target = m.group(1);
        if (target.startsWith("<") && target.endsWith(">")) {
          target = target.substring(1, target.length() - 1);
        }
        out.add(target);
      }
    }
    return out;
  }

  /** Null if {@code target} (relative to {@code file}) resolves, else why not. */
  private static String resolve(Path file, String target) throws IOException {
    int hash = target.indexOf('#');
    String path = hash < 0 ? target : target.substring(0, hash);
    String fragment = hash < 0 ? null : target.substring(hash + 1);
    Path to = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
    if (!to.startsWith(ROOT)) {
      return "leaves the repository";
    }
    if (!Files.exists(to)) {
      return "does not exist";
    }
    if (fragment != null && !fragment.isEmpty()) {
      if (!to.toString().endsWith(".md")) {
        return "has an anchor into a file that is not Markdown";
      }
      if (!anchors(to).contains(fragment)) {
        return "names no heading of " + rel(to) + " (anchors: " + anchors(to) + ")";
      }
    }
    return null;
  }

  /** GitHub's anchors of the headings of a Markdown file. */
  static Set<String> anchors(Path file) throws IOException {
    String text = FENCE.matcher(Files.readString(file)).replaceAll("");
    Set<String> out = new HashSet<>();
    Set<String> seen = new HashSet<>();
    Matcher m = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*#*\\s*$").matcher(text);
    while (m.find()) {
      String slug = slug(m.group(1));
      String unique = slug;
      for (int n = 1; !seen.add(unique); n++) {
        unique = slug + "-" + n;
      }
      out.add(unique);
    }
    return out;
  }

  /** As GitHub makes them: lower case, punctuation dropped, spaces as hyphens. */
  static String slug(String heading) {
    String plain = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replace("`", "");
    StringBuilder out = new StringBuilder();
    plain
        .toLowerCase(Locale.ROOT)
        .codePoints()
        .forEach(
            c -> {
              if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                out.appendCodePoint(c);
              } else if (c == ' ') {
                out.append('-');
              }
            });
    return out.toString();
  }

  private static String rel(Path p) {
    return ROOT.relativize(p).toString();
  }
}

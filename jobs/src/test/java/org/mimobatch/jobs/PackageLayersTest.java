package org.mimobatch.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of the jobs module form layers: no package reaches, through the classes it names
 * (imports and qualified names), a package that reaches it back; the engine is below the public
 * API, the API below the commands (which are its clients), and nothing below the command line or
 * the benchmarks reaches them.
 */
class PackageLayersTest {
  private static final Pattern NAMED = Pattern.compile("\\borg\\.mimobatch\\.((?:jobs|api)(?:\\.[a-z]\\w*)*)\\.[A-Z]");

  private static Map<String, Set<String>> dependencies() throws IOException {
    Path root = ExternalTools.projectRoot().resolve("jobs/src/main/java");
    Map<String, Set<String>> uses = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String pkg = root.relativize(f.getParent()).toString().replace('/', '.').replaceFirst("^org\\.mimobatch\\.", "");
        Set<String> mine = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
        Matcher m = NAMED.matcher(Files.readString(f));
        while (m.find()) {
          if (!m.group(1).equals(pkg)) {
            mine.add(m.group(1));
          }
        }
      }
    }
    return uses;
  }

  @Test
  void noPackageReachesOneThatReachesItBack() throws IOException {
    Map<String, Set<String>> uses = dependencies();
    List<String> cycles = new ArrayList<>();
    for (String from : uses.keySet()) {
      for (String to : reachable(uses, from)) {
        if (reachable(uses, to).contains(from) && from.compareTo(to) < 0) {
          cycles.add(from + " <-> " + to);
        }
      }
    }
    assertEquals(List.of(), cycles, "package cycles; dependencies: " + uses);
    for (String lower : List.of("api", "jobs", "jobs.analyze", "jobs.config", "jobs.ingest", "jobs.io", "jobs.summary")) {
      Set<String> reached = reachable(uses, lower);
      assertTrue(!reached.contains("jobs.cli") && !reached.contains("jobs.bench"), lower + " reaches " + reached);
    }
    for (String engine : List.of("api", "jobs.analyze", "jobs.channels", "jobs.config", "jobs.ingest", "jobs.io",
        "jobs.summary", "jobs.spark")) {
      Set<String> reached = reachable(uses, engine);
      assertTrue(!reached.contains("jobs"), engine + " reaches the commands: " + reached);
    }
    assertTrue(uses.get("jobs").contains("api"), "the commands are clients of the API: " + uses.get("jobs"));
  }

  private static Set<String> reachable(Map<String, Set<String>> uses, String from) {
    Set<String> seen = new TreeSet<>();
    List<String> todo = new ArrayList<>(uses.getOrDefault(from, Set.of()));
    while (!todo.isEmpty()) {
      String next = todo.remove(todo.size() - 1);
      if (seen.add(next)) {
        todo.addAll(uses.getOrDefault(next, Set.of()));
      }
    }
    return seen;
  }
}

package org.mimobatch.jobs;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The programs outside the JVM that some tests drive: headless Chromium, which renders the report,
 * and a Python with Jupyter's nbclient, pandas, pyarrow, matplotlib and DuckDB, which executes the
 * notebooks and reads the datasets without Spark. Where {@value #REQUIRE} is 1 (as .ci/run sets it), a missing or broken tool fails the
 * test; elsewhere the test is skipped, naming what it needs.
 */
public final class ExternalTools {
  static final String REQUIRE = "MIMOBATCH_REQUIRE_TOOLS";
  private static final List<String> CHROMIUM_NAMES = List.of("chromium", "chromium-browser", "google-chrome");

  private ExternalTools() {}

  /** Headless Chromium: $MIMOBATCH_CHROMIUM, else the first of its usual names on the PATH. */
  public static Path chromium() {
    String named = System.getenv("MIMOBATCH_CHROMIUM");
    Path found = named != null ? Path.of(named) : onPath(CHROMIUM_NAMES);
    return require(found != null && Files.isExecutable(found),
        "Chromium (apt-get install chromium, or set MIMOBATCH_CHROMIUM)", found);
  }

  /**
   * A Python that runs notebooks: $MIMOBATCH_PYTHON, else the project's .venv (which .ci/run
   * makes), checked by importing what the notebooks use.
   */
  public static Path notebookPython() {
    return python(List.of("nbclient", "nbformat", "ipykernel", "pandas", "pyarrow", "matplotlib"));
  }

  /** A Python, found as {@link #notebookPython()} is, that imports {@code modules}. */
  public static Path python(List<String> modules) {
    String named = System.getenv("MIMOBATCH_PYTHON");
    Path python = named != null ? Path.of(named) : projectRoot().resolve(".venv/bin/python");
    boolean works = Files.isExecutable(python)
        && run(List.of(python.toString(), "-c", "import " + String.join(", ", modules)), null, 120).exit() == 0;
    return require(works, "a Python with " + String.join(", ", modules) + " (.ci/run makes .venv from"
        + " notebooks/requirements.txt; or set MIMOBATCH_PYTHON)", python);
  }

  /** The repository root: the parent of the jobs module the tests run in. */
  public static Path projectRoot() {
    Path here = Path.of("").toAbsolutePath();
    return Files.exists(here.resolve("bin/mimobatch")) ? here : here.getParent();
  }

  /** What a finished process printed, and its exit status. */
  public record Output(int exit, String stdout, String stderr) {}

  /** Runs {@code command} in {@code dir} (null: here), stopping it after {@code timeoutSeconds}. */
  public static Output run(List<String> command, Path dir, long timeoutSeconds) {
    try {
      Path out = Files.createTempFile("mimobatch-tool", ".out");
      Path err = Files.createTempFile("mimobatch-tool", ".err");
      try {
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (dir != null) {
          pb.directory(dir.toFile());
        }
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor();
          return new Output(-1, Files.readString(out), Files.readString(err) + "\n(stopped after " + timeoutSeconds + " s)");
        }
        return new Output(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      return new Output(-1, "", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Output(-1, "", e.toString());
    }
  }

  /**
   * The arguments that run Chromium headless as any user, root included, offline and with a
   * throw-away profile in {@code profile}.
   */
  public static List<String> headless(Path chromium, Path profile) {
    return new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile));
  }

  private static Path onPath(List<String> names) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : names) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    }
    return null;
  }

  private static Path require(boolean present, String what, Path path) {
    if (!present) {
      String message = "needs " + what + (path == null ? "" : "; tried " + path);
      if ("1".equals(System.getenv(REQUIRE))) {
        fail(message);
      }
      assumeTrue(false, message);
    }
    return path;
  }
}

package org.mimobatch.jobs.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Spark standalone cluster on 127.0.0.1 for tests: a master and workers started as separate
 * JVMs from the Spark jars Maven resolved (linked into a minimal SPARK_HOME/jars, as a Spark
 * distribution lays them out), and drivers started through Spark's own SparkSubmit. Every process
 * it starts, and every executor those start, is killed by {@link #close()}.
 */
final class LocalStandaloneCluster implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Path home;
  private final Path logs;
  private final List<String> jvmFlags;
  private final int masterPort;
  private final int masterUiPort;
  private final List<Process> daemons = new ArrayList<>();
  private final List<Process> workers = new ArrayList<>();
  private final List<Driver> drivers = new ArrayList<>();

  private LocalStandaloneCluster(Path dir) throws IOException {
    this.home = Files.createDirectories(dir.resolve("spark-home"));
    this.logs = Files.createDirectories(dir.resolve("logs"));
    this.jvmFlags = Arrays.stream(System.getProperty("mimobatch.jvm.flags", "").trim().split("\\s+"))
        .filter(s -> !s.isEmpty()).toList();
    this.masterPort = freePort();
    this.masterUiPort = freePort();
    linkSparkJars(Files.createDirectories(home.resolve("jars")));
  }

  /** Starts a master and {@code workers} workers of one core each, and waits until all have registered. */
  static LocalStandaloneCluster start(Path dir, int workers) throws IOException, InterruptedException {
    LocalStandaloneCluster c = new LocalStandaloneCluster(dir);
    try {
      c.daemons.add(c.launch("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
          "--port", String.valueOf(c.masterPort), "--webui-port", String.valueOf(c.masterUiPort))));
      for (int w = 0; w < workers; w++) {
        Path work = Files.createDirectories(dir.resolve("work-" + w));
        Process p = c.launch("worker-" + w, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
            "--cores", "1", "--memory", "1g", "--webui-port", String.valueOf(freePort()), "--work-dir",
            work.toString(), c.masterUrl()));
        c.daemons.add(p);
        c.workers.add(p);
      }
      c.awaitWorkers(workers);
      return c;
    } catch (IOException | InterruptedException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  /** Runs SparkSubmit against this cluster: {@code sparkArgs} before the application jar, {@code appArgs} after. */
  Driver submit(String name, List<String> sparkArgs, List<String> appArgs) throws IOException {
    List<String> args = new ArrayList<>(List.of("org.apache.spark.deploy.SparkSubmit", "--master", masterUrl(),
        "--conf", "spark.executor.memory=512m", "--conf", "spark.ui.enabled=false",
        "--conf", "spark.driver.host=127.0.0.1"));
    args.addAll(sparkArgs);
    args.add(System.getProperty("mimobatch.app.jar"));
    args.addAll(appArgs);
    Driver d = new Driver(name, launch(name, args), logs.resolve(name + ".out"), logs.resolve(name + ".err"));
    drivers.add(d);
    return d;
  }

  /** The executor JVMs the workers run now. */
  List<ProcessHandle> executors() {
    List<ProcessHandle> found = new ArrayList<>();
    for (Process w : workers) {
      w.toHandle().descendants()
          .filter(h -> h.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
          .forEach(found::add);
    }
    return found;
  }

  /** Everything the cluster processes wrote, for a failure message. */
  String logs() {
    StringBuilder sb = new StringBuilder();
    try (var files = Files.list(logs)) {
      for (Path f : files.sorted().toList()) {
        String text = Files.readString(f, StandardCharsets.UTF_8);
        sb.append("==== ").append(f.getFileName()).append('\n')
            .append(text.length() > 6000 ? text.substring(text.length() - 6000) : text).append('\n');
      }
    } catch (IOException e) {
      sb.append("(logs unreadable: ").append(e).append(")");
    }
    return sb.toString();
  }

  @Override
  public void close() {
    for (Driver d : drivers) {
      kill(d.process.toHandle());
    }
    for (Process p : daemons) {
      kill(p.toHandle());
    }
  }

  private static void kill(ProcessHandle p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.onExit().get(java.util.concurrent.TimeUnit.SECONDS.toMillis(20), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (Exception ignored) {
      // Reported by the test's own checks if it matters; nothing else to do here.
    }
  }

  private Process launch(String name, List<String> mainAndArgs) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmFlags);
    cmd.add("-Xmx512m");
    cmd.add("-cp");
    cmd.add(home.resolve("jars") + File.separator + "*");
    cmd.addAll(mainAndArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Map<String, String> env = pb.environment();
    env.put("SPARK_HOME", home.toString());
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_LOG_DIR", logs.toString());
    pb.redirectOutput(logs.resolve(name + ".out").toFile());
    pb.redirectError(logs.resolve(name + ".err").toFile());
    return pb.start();
  }

  /**
   * Links every jar of this JVM's class path into SPARK_HOME/jars, except mimobatch's own code and
   * the libraries it ships in its application jar: the cluster must get those from the jar.
   */
  private static void linkSparkJars(Path jars) throws IOException {
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path jar = Path.of(entry);
      String s = entry.replace('\\', '/');
      if (!s.endsWith(".jar") || s.contains("/org/mimobatch/") || s.contains("/org/bytedeco/")
          || s.contains("/com/typesafe/config/") || s.contains("/mimobatch-")) {
        continue;
      }
      Path link = jars.resolve(jar.getFileName());
      if (!Files.exists(link)) {
        Files.createSymbolicLink(link, jar.toAbsolutePath());
      }
    }
  }

  private void awaitWorkers(int expected) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Pattern alive = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        String json = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterUiPort + "/json/"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = alive.matcher(json);
        if (m.find() && Integer.parseInt(m.group(1)) >= expected) {
          return;
        }
      } catch (IOException notYet) {
        // The master is still starting.
      }
      for (Process p : daemons) {
        if (!p.isAlive()) {
          throw new IllegalStateException("a cluster process exited with " + p.exitValue() + "\n" + logs());
        }
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("workers did not register within " + START_TIMEOUT + "\n" + logs());
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A driver process started by SparkSubmit, with its console output in files. */
  static final class Driver {
    final String name;
    final Process process;
    final Path out;
    final Path err;

    Driver(String name, Process process, Path out, Path err) {
      this.name = name;
      this.process = process;
      this.out = out;
      this.err = err;
    }

    /** Waits for the driver to exit and returns its status; fails after {@code timeout}. */
    int await(Duration timeout) throws InterruptedException {
      if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new IllegalStateException(name + " did not finish within " + timeout);
      }
      // The driver's console (progress and result lines; Spark logs to stderr) in the test's output.
      try {
        System.out.print(stdout().lines().map(l -> "[" + name + "] " + l + "\n").reduce("", String::concat));
      } catch (IOException ignored) {
        // Only a copy for the reader of the test output.
      }
      return process.exitValue();
    }

    /** Waits until a line of the driver's standard output matches {@code pattern}; returns it. */
    String awaitLine(Pattern pattern, Duration timeout) throws IOException, InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
          if (pattern.matcher(line).find()) {
            return line;
          }
        }
        if (!process.isAlive()) {
          throw new IllegalStateException(name + " exited with " + process.exitValue() + " before printing " + pattern
              + "\n" + stdout() + "\n" + stderr());
        }
        Thread.sleep(100);
      }
      throw new IllegalStateException(name + " did not print " + pattern + " within " + timeout + "\n" + stdout());
    }

    String stdout() throws IOException {
      return Files.readString(out, StandardCharsets.UTF_8);
    }

    String stderr() throws IOException {
      return Files.readString(err, StandardCharsets.UTF_8);
    }
  }
}

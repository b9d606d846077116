package org.mimobatch.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mimobatch.jobs.cli.CommandLine;
import org.mimobatch.jobs.config.Settings;
import org.mimobatch.jobs.io.RunStore;
import org.mimobatch.jobs.report.Report;
import org.mimobatch.jobs.io.RunInfo;

/**
 * README's commands as a user types them: every {@code bin/mimobatch} line and every
 * {@code spark-submit … mimobatch-app.jar} command of its bash blocks, split into arguments by
 * bash itself, through the launcher's parser and the settings (README's configuration files
 * included); the channel-file commands of "Your own channels" then run on fixtures named as README
 * names them and must hold NumPy's singular values.
 */
class ReadmeCommandsTest extends SparkTestBase {
  private static final Path ROOT = Files.exists(Path.of("README.md")) ? Path.of(".") : Path.of("..");
  private static final File FIXTURES = new File(ReadmeCommandsTest.class.getResource("/ingest/fixtures.json")
      .getFile()).getParentFile();

  @TempDir
  Path out;

  /** A README command: its line and the arguments the launcher gets. */
  record Command(String line, List<String> args) {
    @Override
    public String toString() {
      return line;
    }
  }

  static Stream<Command> commands() throws IOException, InterruptedException {
    List<Command> all = new ArrayList<>();
    for (String line : bashLines(Files.readString(ROOT.resolve("README.md")))) {
      List<String> words = bash(line);
      if (words.isEmpty() || words.get(0).equals("mvn")) {
        continue;
      }
      int start = -1;
      if (words.get(0).equals("bin/mimobatch")) {
        start = 1;
      } else if (words.get(0).equals("spark-submit")) {
        for (int i = 0; i < words.size(); i++) {
          if (words.get(i).endsWith("mimobatch-app.jar")) {
            start = i + 1;
          }
        }
      }
      if (start < 0) {
        fail("README runs something other than bin/mimobatch, spark-submit or mvn: " + line);
      }
      all.add(new Command(line, words.subList(start, words.size())));
    }
    assertTrue(all.size() >= 20, "README's commands: " + all.size());
    return all.stream();
  }

  /** The commands of README's bash blocks, continuation lines joined. */
  static List<String> bashLines(String readme) {
    List<String> lines = new ArrayList<>();
    Matcher block = Pattern.compile("```bash\n(.*?)```", Pattern.DOTALL).matcher(readme);
    while (block.find()) {
      for (String line : block.group(1).replace("\\\n", " ").split("\n")) {
        if (!line.isBlank() && !line.trim().startsWith("#")) {
          lines.add(line.trim());
        }
      }
    }
    return lines;
  }

  /** The words bash makes of {@code line}, in an empty directory (so no glob of it matches a file). */
  static List<String> bash(String line) throws IOException, InterruptedException {
    Path empty = Files.createTempDirectory("readme-line");
    try {
      Process p = new ProcessBuilder("bash", "-c", "printf '%s\\0' " + line).directory(empty.toFile())
          .redirectErrorStream(true).start();
      String words = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.waitFor(), line + ": " + words);
      return words.isEmpty() ? List.of() : List.of(words.substring(0, words.length() - 1).split("\0", -1));
    } finally {
      Files.delete(empty);
    }
  }

  /** The settings the launcher would load for {@code cli}, configuration files found where README has them. */
  private Settings load(CommandLine cli) {
    File config = cli.config();
    if (config != null && !config.isAbsolute()) {
      File inRoot = ROOT.resolve(config.getPath()).toFile();
      // spark-submit --files conf/X puts X in the driver's working directory
      config = inRoot.isFile() ? inRoot : ROOT.resolve("conf").resolve(config.getName()).toFile();
    }
    return Settings.load(Map.of(), config, cli.overrides(), cli.out() != null ? cli.out() : out.toString(),
        cli.runId());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void everyCommandParsesAndItsSettingsLoad(Command c) {
    CommandLine cli = CommandLine.parse(c.args().toArray(String[]::new));
    Settings s = load(cli);
    // What the user wrote after input.path= or input.variable= arrives as written.
    for (String o : cli.overrides()) {
      if (o.startsWith("input.path=")) {
        assertEquals(o.substring("input.path=".length()), s.input().path(), c.line());
      }
      if (o.startsWith("input.variable=")) {
        assertEquals(o.substring("input.variable=".length()), s.input().variable(), c.line());
      }
    }
  }

  /**
   * README's file names, each with the fixture (or fixtures, as a directory) written as that
   * tool writes it; the preset or variable tells files of the same name apart.
   */
  private static final Map<String, List<String>> AS_NAMED = new LinkedHashMap<>();

  static {
    AS_NAMED.put("sionna.h5 sionna-ofdm", List.of("sionna_freq.h5"));
    AS_NAMED.put("cir.h5 sionna-cir", List.of("sionna_cir.h5"));
    AS_NAMED.put("rt.npz sionna-rt", List.of("sionna_rt.npz"));
    AS_NAMED.put("deepmimo/*.npy deepmimo", List.of("deepmimo.npy", "deepmimo_bigendian.npy"));
    AS_NAMED.put("DeepMIMO_dataset.mat deepmimo-matlab", List.of("deepmimo_matlab.mat"));
    AS_NAMED.put("quadriga.mat quadriga-fr", List.of("quadriga_fr.mat"));
    AS_NAMED.put("quadriga.mat quadriga-coeff", List.of("quadriga_coeff.mat"));
    AS_NAMED.put("channels.h5 quadriga-lib", List.of("quadriga_lib.h5"));
    AS_NAMED.put("H.mat matlab-5g", List.of("matlab_5g_v73.mat"));
    AS_NAMED.put("cdl.mat matlab-cdl", List.of("matlab_cdl.mat"));
    AS_NAMED.put("users.mat H{:}", List.of("h_cells.mat"));
    AS_NAMED.put("grid.mat H", List.of("cdl_grid.mat"));
    AS_NAMED.put("miso.npy ", List.of("miso.npy"));
    AS_NAMED.put("sounding.npz csi", List.of("siso_sounding.npz"));
    AS_NAMED.put("cost2100.mat H", List.of("cost2100.mat"));
    AS_NAMED.put("csinet.npy ", List.of("csinet.npy"));
    AS_NAMED.put("DATA_Htrainin.mat HT", List.of("csinet_ht.mat"));
  }

  static Stream<Command> channelFileCommands() throws IOException, InterruptedException {
    return commands().filter(c -> c.args().stream().anyMatch(a -> a.startsWith("input.path=")));
  }

  /** Every fixture entry, by file. */
  private static Map<String, JsonNode> fixtures() throws IOException {
    Map<String, JsonNode> all = new LinkedHashMap<>();
    for (String list : new String[] {"fixtures.json", "layouts.json"}) {
      new ObjectMapper().readTree(new File(FIXTURES, list)).forEach(f -> all.put(f.get("file").asText(), f));
    }
    return all;
  }

  private static String valueOf(List<String> overrides, String key) {
    return overrides.stream().filter(o -> o.startsWith(key + "=")).map(o -> o.substring(key.length() + 1))
        .findFirst().orElse("");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("channelFileCommands")
  void channelFileCommandsReadWhatNumPyReads(Command c) throws IOException {
    CommandLine cli = CommandLine.parse(c.args().toArray(String[]::new));
    String path = valueOf(cli.overrides(), "input.path");
    String which = valueOf(cli.overrides(), "input.preset");
    List<String> files = AS_NAMED.get(path + " " + (which.isEmpty() ? valueOf(cli.overrides(), "input.variable") : which));
    if (path.equals("campaign.h5")) {
      return; // a layout of README's prose, with no tool behind it
    }
    assertTrue(files != null, "no fixture stands for README's " + path + " " + which + ": " + c.line());
    // The files under README's names, in a directory of their own.
    Path dir = Files.createDirectories(out.resolve("in"));
    Path named = dir.resolve(path.replace("*", "scene_"));
    List<JsonNode> expected = new ArrayList<>();
    Map<String, JsonNode> fixtures = fixtures();
    long links = 0;
    String precision = "single";
    for (int i = 0; i < files.size(); i++) {
      Path target = files.size() == 1 ? named : named.resolveSibling("scene_" + i + ".npy");
      Files.createDirectories(target.getParent());
      Files.copy(new File(FIXTURES, files.get(i)).toPath(), target);
      long before = links;
      for (JsonNode e : IngestFixturesTest.expected(files.get(i))) {
        ((com.fasterxml.jackson.databind.node.ArrayNode) e.get("key")).set(0,
            com.fasterxml.jackson.databind.node.LongNode.valueOf(e.get("key").get(0).asLong() + before));
        links = Math.max(links, e.get("key").get(0).asLong() + 1);
        expected.add(e);
      }
      if (fixtures.get(files.get(i)).get("precision").asText().equals("double")) {
        precision = "double";
      }
    }
    // The command as written, its relative path under that directory, the fixture's grid (a
    // fixture's few subcarriers in place of README's 64 or 624) after it.
    List<String> overrides = new ArrayList<>();
    for (String o : cli.overrides()) {
      overrides.add(o.startsWith("input.path=") ? "input.path=" + dir + "/" + path : o);
    }
    fixtures.get(files.get(0)).get("settings").fields().forEachRemaining(e -> {
      if (e.getKey().startsWith("input.subcarrier")) {
        overrides.add(e.getKey() + "=" + e.getValue());
      }
    });
    overrides.addAll(List.of("analysis.chunk-size=7", "output.report=false"));
    Settings s = Settings.load(null, overrides, out.resolve("out").toString());
    RunJob.run(spark, s);
    IngestFixturesTest.assertSingularValues(s, expected, precision, c.line());
  }

  /**
   * analyze, summarize and report after ingest, with no input.* of their own: what the run records
   * and the report shows are the files read and their layout, never the drawn channels' defaults.
   */
  @Test
  void stepsAfterIngestRecordTheFilesRead() throws IOException {
    String file = new File(FIXTURES, "sionna_ofdm_c64.h5").getPath();
    List<String> run = List.of("run.id=ingested", "analysis.chunk-size=7");
    List<String> ingest = new ArrayList<>(run);
    ingest.addAll(List.of("input.path=" + file, "input.preset=sionna-ofdm"));
    Jobs.ingest(spark, Settings.load(null, ingest, out.toString()));
    Settings after = Settings.load(null, run, out.toString());
    Jobs.analyze(spark, after);
    Jobs.summarize(spark, after);
    Report.Result report = Report.write(spark, after.output().paths(), null);

    RunInfo info = RunStore.published(spark, out.toString(), "ingested").entry("metrics").info();
    Matcher data = Pattern.compile("<script id=\"data\" type=\"application/json\">(.*?)</script>", Pattern.DOTALL)
        .matcher(Files.readString(Path.of(report.path())));
    assertTrue(data.find(), "the page embeds its data");
    JsonNode page = new ObjectMapper().readTree(data.group(1).replace("<\\/", "</")).at("/run/settings");
    for (Map<String, String> recorded : List.of(info.settings(),
        new ObjectMapper().convertValue(page, Map.class))) {
      assertEquals(file, recorded.get("input.path"), recorded.toString());
      assertEquals("sionna-ofdm", recorded.get("input.preset"), recorded.toString());
      assertEquals("h_f", recorded.get("input.variable"), "the name found in the file: " + recorded);
      assertEquals("[link, link, rx, link, tx, slot, subcarrier]", recorded.get("input.axes"));
      assertEquals("1: " + file, recorded.get("input.files"));
      assertFalse(recorded.keySet().stream().anyMatch(k -> k.startsWith("channel.")), "no drawn-channel keys: "
          + recorded);
      assertEquals("ingested", recorded.get("run.id"));
    }
    assertEquals("single", info.precision());
    assertTrue(Arrays.asList(Files.readString(Path.of(report.path())).split("\n")).stream()
        .noneMatch(l -> l.contains("tdl-a")), "the page shows no channel model");
  }
}

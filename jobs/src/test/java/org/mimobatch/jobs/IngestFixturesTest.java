package org.mimobatch.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mimobatch.jobs.config.Settings;
import org.mimobatch.jobs.ingest.Axis;
import org.mimobatch.jobs.ingest.Preset;
import org.mimobatch.pipeline.ConfigName;

/**
 * Every preset's fixture, written by the tool's own library (NumPy, h5py, SciPy, Octave; see
 * src/test/resources/ingest/make_fixtures.py), and every further layout (arrays without rx or tx,
 * real and imaginary parts on an axis, flat arrays reshaped, Sionna RT, quadriga-lib, MAT cells;
 * make_layouts.py), through ingest and analyze: every matrix present
 * under its keys, with the shape and the singular values NumPy computed from the stored values
 * (1e-12 relative in complex128, 1e-5 in complex64). The shapes are non-square, so a transposed or
 * permuted axis cannot pass.
 */
class IngestFixturesTest extends SparkTestBase {
  private static final File DIR = new File(IngestFixturesTest.class.getResource("/ingest/fixtures.json").getFile())
      .getParentFile();

  @TempDir
  Path out;

  static Stream<JsonNode> fixtures() throws IOException {
    List<JsonNode> all = new ArrayList<>();
    for (String list : new String[] {"fixtures.json", "layouts.json"}) {
      new ObjectMapper().readTree(new File(DIR, list)).forEach(all::add);
    }
    return all.stream();
  }

  /**
   * The settings a user would write for a fixture: the preset, its extra keys (the whole layout
   * where it has no preset), axes only where they differ.
   */
  static List<String> settings(JsonNode f) {
    List<String> set = new ArrayList<>();
    set.add("input.path=" + new File(DIR, f.get("file").asText()).getAbsolutePath());
    f.get("settings").fields().forEachRemaining(e -> set.add(e.getKey() + "=" + e.getValue().toString()));
    List<String> axes = new ArrayList<>();
    f.get("axes").forEach(a -> axes.add(a.asText()));
    set.add("analysis.chunk-size=5");
    if (f.get("preset").isNull() && f.get("settings").has("input.axes")) {
      return set;
    }
    if (f.get("preset").isNull()) {
      set.add("input.variable=" + f.get("variable").asText());
      set.add("input.axes=" + axes);
      return set;
    }
    set.add("input.preset=" + f.get("preset").asText());
    Preset preset = ConfigName.parse(Preset.class, f.get("preset").asText());
    List<String> presetAxes = preset.axes().stream().map(Axis::configName).toList();
    List<String> withTrailing = new ArrayList<>(presetAxes);
    if (preset.optionalTrailing() != null) {
      withTrailing.add(preset.optionalTrailing().configName());
    }
    if (!axes.equals(presetAxes) && !axes.equals(withTrailing)) {
      set.add("input.axes=" + axes);
    }
    return set;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void ingestsWithNumPysSingularValues(JsonNode f) throws IOException {
    String file = f.get("file").asText();
    Settings s = Settings.load(null, settings(f), out.toString());
    IngestJob.Result ingested = Jobs.ingest(spark, s);
    long matrices = f.get("matrices").asLong();
    assertEquals(matrices, ingested.matrices(), file);
    AnalyzeJob.Result analysed = Jobs.analyze(spark, s);
    assertEquals(Map.of("ok", matrices), analysed.statusCounts(), file);

    for (Row m : spark.read().parquet(s.output().paths().metrics()).select("rows", "cols", "source").collectAsList()) {
      assertEquals(f.get("rows").asInt(), m.getInt(0), file);
      assertEquals(f.get("cols").asInt(), m.getInt(1), file);
      assertTrue(m.getString(2).endsWith(file), m.getString(2));
    }
    assertSingularValues(s, expected(file), f.get("precision").asText(), file);
  }

  /** NumPy's keys and singular values of a fixture (its .expected.json rows). */
  static List<JsonNode> expected(String file) throws IOException {
    List<JsonNode> rows = new ArrayList<>();
    new ObjectMapper().readTree(new File(DIR, file.substring(0, file.indexOf('.')) + ".expected.json"))
        .forEach(rows::add);
    return rows;
  }

  /**
   * The metrics of {@code s}'s run hold exactly the keys of {@code expected}, each once, with its
   * singular values (1e-12 of the largest in double precision, 1e-5 in single).
   */
  static void assertSingularValues(Settings s, List<JsonNode> expected, String precision, String label) {
    Map<List<Integer>, Row> byKey = new HashMap<>();
    for (Row m : spark.read().parquet(s.output().paths().metrics()).collectAsList()) {
      byKey.put(List.of(m.getAs("link"), m.getAs("slot"), m.getAs("subcarrier")), m);
    }
    assertEquals(expected.size(), byKey.size(), label + ": every key once");
    double tol = precision.equals("double") ? 1e-12 : 1e-5;
    for (JsonNode e : expected) {
      List<Integer> key = List.of(e.get("key").get(0).asInt(), e.get("key").get(1).asInt(), e.get("key").get(2).asInt());
      Row m = byKey.get(key);
      assertNotNull(m, label + ": no matrix at " + key);
      List<Double> sv = m.getList(m.fieldIndex("singular_values"));
      assertEquals(e.get("sv").size(), sv.size(), label + " " + key);
      double largest = e.get("sv").get(0).asDouble();
      for (int j = 0; j < sv.size(); j++) {
        assertEquals(e.get("sv").get(j).asDouble(), sv.get(j), tol * largest, label + " " + key + " σ" + (j + 1));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"sionna_ofdm.h5", "deepmimo_time.npz", "matlab_5g_v73.mat",
      "sionna_cir.h5", "deepmimo.npy", "quadriga_lib.h5", "flat_reim.npy", "miso.npy"})
  void piecesOverManyTasksReadWhatOneTaskReads(String file) throws IOException {
    JsonNode f = fixtures().filter(x -> x.get("file").asText().equals(file)).findFirst().orElseThrow();
    List<String> one = new ArrayList<>(settings(f));
    one.add("channel.partitions=1");
    List<String> many = new ArrayList<>(settings(f));
    many.add("channel.partitions=16");
    Settings a = Settings.load(null, one, out.resolve("one").toString());
    Settings b = Settings.load(null, many, out.resolve("many").toString());
    Jobs.ingest(spark, a);
    IngestJob.Result split = Jobs.ingest(spark, b);
    assertTrue(split.partitions() > 1, file + " was read by " + split.partitions() + " task");
    var x = spark.read().parquet(a.output().paths().channels());
    var y = spark.read().parquet(b.output().paths().channels());
    assertEquals(f.get("matrices").asLong(), y.count());
    assertEquals(0, x.exceptAll(y).count(), file);
    assertEquals(0, y.exceptAll(x).count(), file);
  }
}

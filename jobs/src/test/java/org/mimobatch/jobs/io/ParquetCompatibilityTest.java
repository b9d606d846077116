package org.mimobatch.jobs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mimobatch.jobs.ExternalTools;
import org.mimobatch.jobs.RunJob;
import org.mimobatch.jobs.SparkTestBase;
import org.mimobatch.jobs.config.Settings;

/**
 * Every dataset mimobatch writes — channels, metrics, summary, distributions, histories — in every
 * codec it allows and both precisions, read by pyarrow and by DuckDB, readers that share no code
 * with Spark or parquet-mr: both must see the columns and every value (to the bit) that Spark reads
 * back, and the files must carry the codec asked for.
 */
class ParquetCompatibilityTest extends SparkTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> DATASETS = List.of(DatasetPaths.CHANNELS, DatasetPaths.METRICS,
      DatasetPaths.SUMMARY, DatasetPaths.DISTRIBUTIONS, DatasetPaths.HISTORIES);

  @TempDir
  Path dir;

  @Test
  void pyarrowAndDuckDbReadEveryDatasetAsSparkDoes() throws IOException {
    Path python = ExternalTools.python(List.of("pyarrow", "duckdb"));
    List<String> directories = new ArrayList<>();
    for (ParquetCodec codec : ParquetCodec.values()) {
      for (String precision : List.of("double", "single")) {
        // Rank-one channels in double precision (infinite condition numbers, null receiver rates,
        // refinements not applicable), full-rank ones in single (loss histories).
        String correlation = precision.equals("double") ? "1" : "0.5";
        Settings s = Settings.load(null, List.of("channel.model=kronecker", "channel.correlation.rx=" + correlation,
            "channel.rx=3", "channel.tx=3", "channel.slots=3", "channel.subcarriers=4", "channel.precision=" + precision,
            "refine.methods=[newton-schulz, gd-inverse]", "refine.history-sample=12", "output.channels=true",
            "output.report=false", "output.compression=" + codec.configName(), "summary.group-by=[subcarrier]"),
            dir.resolve(codec.configName() + "-" + precision).toString());
        RunJob.run(spark, s);
        for (String dataset : DATASETS) {
          directories.add(s.output().paths().of(dataset));
        }
      }
    }
    Path script = dir.resolve("read_datasets.py");
    try (InputStream in = getClass().getResourceAsStream("/compat/read_datasets.py")) {
      Files.copy(in, script);
    }
    List<String> command = new ArrayList<>(List.of(python.toString(), script.toString()));
    command.addAll(directories);
    ExternalTools.Output out = ExternalTools.run(command, null, 300);
    assertEquals(0, out.exit(), out.stderr());
    JsonNode read = JSON.readTree(out.stdout());

    java.util.Map<String, Integer> compared = new java.util.TreeMap<>();
    boolean infinite = false;
    for (String d : directories) {
      JsonNode r = read.get(d);
      String codec = Path.of(d).getParent().getParent().getFileName().toString().split("-")[0];
      assertTrue(r.get("files").asInt() > 0, d);
      var spark = ParquetCompatibilityTest.spark.read().parquet(d);
      List<String> columns = List.of(spark.columns());
      List<String> expected = canonical(spark.collectAsList());
      assertEquals(expected.isEmpty() ? List.of() : List.of(codec.toUpperCase(Locale.ROOT)),
          JSON.convertValue(r.get("codecs"), List.class), d);
      for (String reader : List.of("pyarrow", "duckdb")) {
        assertEquals(columns, JSON.convertValue(r.at("/" + reader + "/columns"), List.class), reader + " " + d);
        List<String> rows = new ArrayList<>();
        for (JsonNode row : r.at("/" + reader + "/rows")) {
          rows.add(String.valueOf(decode(row)));
        }
        rows.sort(null);
        assertEquals(expected.size(), rows.size(), reader + " " + d);
        for (int i = 0; i < rows.size(); i++) {
          assertEquals(expected.get(i), rows.get(i), reader + " " + d + " row " + i);
        }
      }
      compared.merge(Path.of(d).getParent().getFileName().toString(), expected.size(), Integer::sum);
      infinite |= expected.stream().anyMatch(x -> x.contains("Infinity"));
    }
    for (String dataset : DATASETS) {
      assertTrue(compared.get(dataset) > 0, "rows of " + dataset + " compared: " + compared);
    }
    assertTrue(infinite, "infinite condition numbers were among the values");
  }

  /** Spark's rows as the decoded Python rows print: numbers widened to long or double, lists as lists. */
  private static List<String> canonical(List<Row> rows) {
    List<String> out = new ArrayList<>();
    for (Row r : rows) {
      List<Object> v = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        v.add(widen(r.isNullAt(i) ? null : r.get(i)));
      }
      out.add(String.valueOf(v));
    }
    out.sort(null);
    return out;
  }

  private static Object widen(Object v) {
    if (v instanceof Float f) {
      return (double) f;
    }
    if (v instanceof Double || v instanceof String || v instanceof Boolean || v == null) {
      return v;
    }
    if (v instanceof Number n) {
      return n.longValue();
    }
    if (v instanceof scala.collection.Seq<?> seq) {
      List<Object> l = new ArrayList<>();
      seq.foreach(x -> l.add(widen(x)));
      return l;
    }
    throw new IllegalArgumentException("unexpected value " + v.getClass());
  }

  /** A row as read_datasets.py encodes it: floats as "f:" + Python's repr. */
  private static Object decode(JsonNode v) {
    if (v.isNull()) {
      return null;
    }
    if (v.isArray()) {
      List<Object> l = new ArrayList<>();
      v.forEach(x -> l.add(decode(x)));
      return l;
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    if (v.isIntegralNumber()) {
      return v.asLong();
    }
    String s = v.asText();
    if (s.startsWith("f:")) {
      return switch (s.substring(2)) {
        case "nan" -> Double.NaN;
        case "inf" -> Double.POSITIVE_INFINITY;
        case "-inf" -> Double.NEGATIVE_INFINITY;
        default -> Double.parseDouble(s.substring(2));
      };
    }
    return s;
  }
}

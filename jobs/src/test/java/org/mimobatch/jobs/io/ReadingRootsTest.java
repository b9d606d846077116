package org.mimobatch.jobs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mimobatch.jobs.ExternalTools;
import org.mimobatch.jobs.RunJob;
import org.mimobatch.jobs.SparkTestBase;
import org.mimobatch.jobs.config.Settings;

/**
 * README's recipes for reading an output root whose runs have different columns, run as README
 * writes them: every column of every run, and run ids as strings.
 */
class ReadingRootsTest extends SparkTestBase {
  @TempDir
  Path dir;

  @BeforeEach
  void twoRuns() {
    for (String id : List.of("2026-11-23", "2026-11-24")) {
      List<String> set = new ArrayList<>(List.of("channel.model=rayleigh", "channel.rx=2", "channel.tx=2",
          "channel.slots=2", "channel.subcarriers=8", "output.report=false", "progress.interval-s=0"));
      // The later run has a column the earlier lacks: a reader that takes the first file's schema loses it.
      if (id.endsWith("24")) {
        set.add("refine.methods=[newton-schulz]");
      }
      RunJob.run(spark, Settings.load(null, set, dir.resolve("out").toString(), id));
    }
  }

  @Test
  void pandasAndDuckDbAsReadmeShows() throws IOException {
    Path python = ExternalTools.python(List.of("pyarrow", "pandas", "duckdb"));
    String readme = Files.readString(ExternalTools.projectRoot().resolve("README.md"));
    String recipe = block(readme, "Other readers, told the same:", "```python");
    String script = String.join("\n", "import glob, json", "from pathlib import Path", "import duckdb",
        "import pyarrow as pa, pyarrow.dataset as ds, pyarrow.parquet as pq", "",
        recipe.replace("duckdb.sql(", "duck = duckdb.sql("), "",
        "out = {}",
        "out['duckdb'] = duck.aggregate('run_id, count(*), count(refine_newton_schulz_status)').order('run_id').fetchall()",
        "out['pandas'] = sorted([[k, int(len(g)), int(g['refine_newton_schulz_status'].notna().sum())]"
            + " for k, g in df.groupby('run_id')])",
        "out['types'] = [str(duck.types[duck.columns.index('run_id')]), str(df['run_id'].dtype)]",
        "print(json.dumps(out, default=str))");
    Path file = dir.resolve("recipe.py");
    Files.writeString(file, script);
    ExternalTools.Output o = ExternalTools.run(List.of(python.toString(), file.toString()), dir, 120);
    assertEquals(0, o.exit(), script + "\n" + o.stderr());
    String expected = "[[\"2026-11-23\", 16, 0], [\"2026-11-24\", 16, 16]]";
    assertTrue(o.stdout().contains("\"duckdb\": " + expected), o.stdout());
    assertTrue(o.stdout().contains("\"pandas\": " + expected), o.stdout());
    assertTrue(o.stdout().contains("\"types\": [\"VARCHAR\", \"object\"]") || o.stdout().contains("\"VARCHAR\", \"str\""),
        o.stdout());
  }

  @Test
  void theManifestRecipeReadsThePublishedFilesOnly() throws IOException {
    Path python = ExternalTools.python(List.of("pyarrow", "pandas"));
    String readme = Files.readString(ExternalTools.projectRoot().resolve("README.md"));
    String recipe = block(readme, "read the files the run's newest manifest names", "```python")
        .replace("\"out\"", "\"" + dir.resolve("out") + "\"");
    // A dead command's file in the run's directory, which no manifest names.
    Path run = dir.resolve("out/metrics/run_id=2026-11-23");
    try (var files = Files.list(run)) {
      Path one = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
      Files.copy(one, run.resolve("part-99999-dead-c000.snappy.parquet"));
    }
    String script = String.join("\n", "import json", "from pathlib import Path", "import pandas as pd", "", recipe, "",
        "print(len(metrics), len(pd.read_parquet('" + run + "')))");
    Path file = dir.resolve("manifest.py");
    Files.writeString(file, script);
    ExternalTools.Output o = ExternalTools.run(List.of(python.toString(), file.toString()), dir, 120);
    assertEquals(0, o.exit(), script + "\n" + o.stderr());
    String[] counts = o.stdout().trim().split(" ");
    assertEquals("16", counts[0], "the published version");
    assertTrue(Integer.parseInt(counts[1]) > 16, "a reader of the directory counts the dead file too: " + counts[1]);
  }

  @Test
  void sparkAsReadmeShows() throws IOException {
    String readme = Files.readString(ExternalTools.projectRoot().resolve("README.md"));
    String recipe = block(readme, "Other readers, told the same:", "```scala")
        .replace(dir.resolve("out") + "/", "out/");
    assertTrue(recipe.contains("spark.conf.set(\"spark.sql.sources.partitionColumnTypeInference.enabled\", \"false\")")
        && recipe.contains("spark.read.option(\"mergeSchema\", \"true\").parquet(\"out/metrics\")"), recipe);
    // The same two calls, in a session of their own (the setting is the session's).
    SparkSession own = spark.newSession();
    own.conf().set("spark.sql.sources.partitionColumnTypeInference.enabled", "false");
    Dataset<Row> all = own.read().option("mergeSchema", "true").parquet(dir.resolve("out/metrics").toString());
    assertTrue(Arrays.asList(all.columns()).contains("refine_newton_schulz_status"));
    assertEquals("string", all.schema().apply("run_id").dataType().simpleString());
    assertEquals(16, all.filter("run_id = '2026-11-24' AND refine_newton_schulz_status IS NOT NULL").count());
  }

  /** The first fenced block opened by {@code fence} after {@code marker}, with "out/" pointing here. */
  private String block(String readme, String marker, String fence) {
    int at = readme.indexOf(fence, readme.indexOf(marker));
    int start = readme.indexOf('\n', at) + 1;
    return readme.substring(start, readme.indexOf("```", start)).replace("out/", dir.resolve("out") + "/");
  }
}

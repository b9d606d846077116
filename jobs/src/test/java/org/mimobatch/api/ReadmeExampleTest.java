package org.mimobatch.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.mimobatch.jobs.ExternalTools;
import org.mimobatch.jobs.SparkTestBase;

/** README's Java examples are {@link ReadmeExample}'s code, and they run. */
class ReadmeExampleTest extends SparkTestBase {
  private static String block(String text, String begin, String end) {
    int from = text.indexOf(begin);
    int to = text.indexOf(end, from + begin.length());
    assertTrue(from >= 0 && to > from, "no block between '" + begin + "' and '" + end + "'");
    return text.substring(from + begin.length(), to).lines().map(String::strip).filter(l -> !l.isEmpty())
        .collect(Collectors.joining("\n"));
  }

  @Test
  void readmesJavaExampleIsTheOneThatRuns() throws IOException {
    Path root = ExternalTools.projectRoot();
    String readme = Files.readString(root.resolve("README.md"));
    String section = readme.substring(readme.indexOf("## Use it from your own Spark job"));
    String java = block(section, "```java", "```");
    String source = Files.readString(root.resolve("jobs/src/test/java/org/mimobatch/api/ReadmeExample.java"));
    String tested = block(source, "// README begin", "// README end");
    assertTrue(java.endsWith(tested), "README's Java example differs from ReadmeExample:\n" + java + "\n---\n" + tested);

    String pipeline = block(section.substring(section.indexOf("```java") + 7), "```java", "```");
    assertEquals(block(source, "// README pipeline begin", "// README pipeline end"), pipeline,
        "README's pipeline example differs from ReadmeExample.pipeline");
    Dataset<Row> channels = Channels.draw(spark, "channel.slots=2", "channel.subcarriers=32");
    long clusters = ReadmeExample.pipeline(channels).transform(channels).select("prediction").distinct().count();
    assertEquals(3, clusters, "KMeans with k = 3 over the metrics");

    List<Row> summary = ReadmeExample.run(spark).orderBy("distance_m", "snr_db").collectAsList();
    assertEquals(2 * 4, summary.size(), "two distances × four SNRs");
    for (Row r : summary) {
      assertEquals(10L * 64, r.<Long>getAs("matrices"), "one link's 640 matrices per distance");
    }
  }
}

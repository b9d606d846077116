package org.mimobatch.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mimobatch.jobs.SparkTestBase;

/**
 * ChannelMetrics in an MLlib Pipeline with MLlib's own stages: fitted, saved, loaded in a fresh
 * session, and giving the same output there.
 */
class ChannelMetricsPipelineTest extends SparkTestBase {
  private static final String[] CHANNELS = {"channel.model=kronecker", "channel.rx=4", "channel.tx=4",
      "channel.slots=4", "channel.subcarriers=16", "channel.correlation.rx=0.9", "channel.correlation.tx=0.9"};

  @TempDir
  Path dir;

  private static Pipeline pipeline() {
    return new Pipeline().setStages(new PipelineStage[] {
        new ChannelMetrics().setSnrDb(new double[] {10, 20}).setZfVectors(2).setSeed(9).setChunkSize(64)
            .setRefinements(new String[] {"newton-schulz"}),
        new SQLTransformer().setStatement("SELECT *, capacity[0] AS capacity_10db, effective_rank AS spread FROM __THIS__"),
        new VectorAssembler().setInputCols(new String[] {"capacity_10db", "spread"}).setOutputCol("features"),
        new KMeans().setK(3).setSeed(5)});
  }

  private static List<String> predictions(PipelineModel model, Dataset<Row> channels) {
    return model.transform(channels).selectExpr("link", "slot", "subcarrier", "capacity_10db", "prediction")
        .orderBy("link", "slot", "subcarrier").collectAsList().stream().map(Row::toString).toList();
  }

  @Test
  void aPipelineWithMllibStagesFitsSavesAndLoadsInAFreshSession() throws Exception {
    Dataset<Row> channels = Channels.draw(spark, CHANNELS);
    PipelineModel model = pipeline().fit(channels);
    List<String> before = predictions(model, channels);
    assertEquals(64, before.size());
    assertTrue(before.stream().map(r -> r.substring(r.lastIndexOf(','))).distinct().count() > 1,
        "the clusters separate the channels");
    String saved = dir.resolve("model").toString();
    model.write().overwrite().save(saved);

    spark.stop();
    spark = SparkSession.builder().master("local[2]").appName("mimobatch-test-reloaded")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
    PipelineModel loaded = PipelineModel.load(saved);
    ChannelMetrics stage = (ChannelMetrics) loaded.stages()[0];
    ChannelMetrics fitted = (ChannelMetrics) model.stages()[0];
    assertEquals(fitted.uid(), stage.uid());
    for (org.apache.spark.ml.param.Param<?> p : fitted.params()) {
      @SuppressWarnings("unchecked")
      org.apache.spark.ml.param.Param<Object> param = (org.apache.spark.ml.param.Param<Object>) p;
      assertEquals(param.jsonEncode(fitted.getOrDefault(param)), param.jsonEncode(stage.getOrDefault(stage.getParam(
          param.name()))), param.name() + " survives the reload");
    }
    assertArrayEquals(new double[] {10, 20}, (double[]) stage.getOrDefault(stage.snrDb()));
    assertEquals(9L, stage.getOrDefault(stage.seed()));
    assertArrayEquals(new String[] {"newton-schulz"}, (String[]) stage.getOrDefault(stage.refinements()));
    assertEquals(before, predictions(loaded, Channels.draw(spark, CHANNELS)), "the same output after a reload");
  }

  @Test
  void itsParamsAreValidatedAndItsSchemaIsTheMetrics() {
    ChannelMetrics stage = new ChannelMetrics();
    assertThrows(IllegalArgumentException.class, () -> stage.setBackend("tpu"));
    assertThrows(IllegalArgumentException.class, () -> stage.setChunkSize(0));
    Dataset<Row> channels = Channels.draw(spark, CHANNELS);
    stage.setRefinements(new String[] {"newton-schulz"});
    org.apache.spark.sql.types.StructType declared = stage.transformSchema(channels.schema());
    Row first = stage.transform(channels).first();
    assertEquals(declared.size(), first.size(), "rows as wide as the schema says");
    assertTrue(List.of(declared.fieldNames()).contains("refine_newton_schulz_status"));
    assertEquals("converged", first.getAs("refine_newton_schulz_status"));
    assertThrows(IllegalArgumentException.class, () -> stage.setSnrDb(new double[0]));
    assertThrows(IllegalArgumentException.class, () -> stage.setZfVectors(1001));
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> stage.transformSchema(channels.drop("re").schema()));
    assertTrue(missing.getMessage().contains("'re'"), missing.getMessage());
    ChannelMetrics copy = stage.copy(new org.apache.spark.ml.param.ParamMap().put(stage.snrDb(), new double[] {5}));
    assertArrayEquals(new double[] {5}, (double[]) copy.getOrDefault(copy.snrDb()));
    assertEquals(stage.uid(), copy.uid());
  }
}

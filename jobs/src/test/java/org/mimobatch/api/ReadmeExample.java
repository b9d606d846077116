package org.mimobatch.api;

import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** README's "Use it from your own Spark job" examples, line for line between the markers. */
final class ReadmeExample {
  private ReadmeExample() {}

  static Dataset<Row> run(SparkSession spark) {
    // README begin
    Dataset<Row> positions = spark.createDataFrame(
        List.of(RowFactory.create(0, 35.0), RowFactory.create(1, 120.0)),
        new StructType().add("link", "int").add("distance_m", "double"));
    Dataset<Row> channels = Channels.draw(spark, "channel.links=2", "channel.slots=10", "channel.subcarriers=64");
    Dataset<Row> metrics = ChannelAnalysis.builder().snrDb(0, 10, 20, 30).build()
        .metrics(channels.join(positions, "link"));
    Dataset<Row> summary = MetricsSummary.of(metrics, "distance_m").summary();
    summary.select("distance_m", "snr_db", "matrices", "capacity_mean", "capacity_p10").show();
    // README end
    return summary;
  }

  static PipelineModel pipeline(Dataset<Row> channels) {
    // README pipeline begin
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new ChannelMetrics().setSnrDb(new double[] {10, 20}),
        new SQLTransformer().setStatement("SELECT *, capacity[0] AS capacity_10db, effective_rank AS spread FROM __THIS__"),
        new VectorAssembler().setInputCols(new String[] {"capacity_10db", "spread"}).setOutputCol("features"),
        new KMeans().setK(3)});
    PipelineModel model = pipeline.fit(channels);
    // README pipeline end
    return model;
  }
}

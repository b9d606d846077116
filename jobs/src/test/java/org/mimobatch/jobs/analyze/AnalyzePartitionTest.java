package org.mimobatch.jobs.analyze;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.mimobatch.jobs.analyze.AnalyzePartition.Output;
import org.mimobatch.jobs.config.Settings;
import org.mimobatch.jobs.io.ChannelsSchema;
import org.mimobatch.pipeline.analysis.AnalysisSpec;
import org.mimobatch.pipeline.batch.Precision;

/**
 * One partition's analysis as an iterator, without Spark: rows of several shapes interleaved, over
 * several chunks, each output row keeping its keys and getting its own matrix's metrics.
 */
class AnalyzePartitionTest {
  private static final int[][] SHAPES = {{2, 2}, {3, 3}, {4, 2}, {2, 3}};
  private static final int CHUNK = 16;

  @Test
  void interleavedShapesComeOutRowForRowWithTheirOwnSpectra() {
    StructType schema = ChannelsSchema.of(Precision.DOUBLE);
    AnalysisSpec spec = Settings.defaults().analysis().spec();
    InputLayout layout = new InputLayout(schema, spec.refine());
    // Runs of one shape (several rows long, crossing chunk boundaries) and single rows between them.
    List<InternalRow> input = new ArrayList<>();
    for (int k = 0; k < 200; k++) {
      int[] shape = SHAPES[k % 7 < 4 ? 0 : k % SHAPES.length];
      input.add(diagonal(k, shape[0], shape[1]));
    }
    Iterator<InternalRow> out = new AnalyzePartition("cpu", spec, Precision.DOUBLE, CHUNK, layout, Output.METRICS)
        .call(input.iterator());

    StructType metrics = layout.outputSchema();
    int subcarrier = metrics.fieldIndex(ChannelsSchema.SUBCARRIER);
    int rows = metrics.fieldIndex(ChannelsSchema.ROWS);
    int status = metrics.fieldIndex("status");
    int singular = metrics.fieldIndex("singular_values");
    boolean[] seen = new boolean[input.size()];
    for (int i = 0; i < input.size(); i++) {
      // next() alone, as a consumer may call it: it must fill the queue itself.
      InternalRow row = out.next();
      int k = row.getInt(subcarrier);
      assertFalse(seen[k], "subcarrier " + k + " came out twice");
      seen[k] = true;
      InternalRow in = input.get(k);
      assertEquals(in.getInt(3), row.getInt(rows), "subcarrier " + k);
      assertEquals("ok", row.getUTF8String(status).toString(), "subcarrier " + k);
      assertArrayEquals(expectedSingularValues(k, in.getInt(3), in.getInt(4)),
          row.getArray(singular).toDoubleArray(), 1e-12, "subcarrier " + k);
    }
    assertFalse(out.hasNext());
    assertThrows(NoSuchElementException.class, out::next);
  }

  /** A rows × cols matrix with 1 + (k + j) % 5 + j / 10 on its diagonal, zero elsewhere. */
  private static InternalRow diagonal(int k, int rows, int cols) {
    double[] re = new double[rows * cols];
    for (int j = 0; j < Math.min(rows, cols); j++) {
      re[j * cols + j] = diagonalEntry(k, j);
    }
    return new GenericInternalRow(new Object[] {1, 0, k, rows, cols, UnsafeArrayData.fromPrimitiveArray(re),
        UnsafeArrayData.fromPrimitiveArray(new double[rows * cols])});
  }

  private static double diagonalEntry(int k, int j) {
    return 1 + (k + j) % 5 + j / 10.0;
  }

  /** The diagonal's entries, largest first. */
  private static double[] expectedSingularValues(int k, int rows, int cols) {
    return IntStream.range(0, Math.min(rows, cols)).mapToObj(j -> diagonalEntry(k, j))
        .sorted(Comparator.reverseOrder()).mapToDouble(Double::doubleValue).toArray();
  }
}

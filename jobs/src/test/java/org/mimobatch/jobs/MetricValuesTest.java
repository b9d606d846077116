package org.mimobatch.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mimobatch.jobs.config.Settings;
import org.mimobatch.pipeline.analysis.Metric;

/**
 * The value of every metric column, through analyze and summarize, on channels whose answers are
 * known in closed form: a diagonal channel, a scaled unitary one, a rank-one one and 1×1 ones; and
 * the order of the rates on random channels of three shapes. Each matrix gets its own subcarrier.
 */
class MetricValuesTest extends SparkTestBase {
  private static final double[] SNR_DB = {-10, 0, 10, 20, 30};
  private static final double LN2 = Math.log(2);
  private static final int ZF_VECTORS = 1000;
  private static final double[] DIAGONAL = {1, 2, 3, 4};
  private static final double UNITARY_SCALE = 0.8;
  private static final double RANK_ONE_SIGMA = 2.5;
  private static final double[][] SCALARS = {{0.6, -1.1}, {-0.05, 0.02}};
  private static final int RANDOM = 60;

  @TempDir
  static Path dir;
  private static Map<Integer, Row> rows;
  private static List<Row> summary;
  /** The unit vectors of the rank-one channel: H = σ u vᴴ. */
  private static double[][] u;
  private static double[][] v;

  private static final StructType SCHEMA = new StructType()
      .add("link", DataTypes.IntegerType).add("slot", DataTypes.IntegerType).add("subcarrier", DataTypes.IntegerType)
      .add("rows", DataTypes.IntegerType).add("cols", DataTypes.IntegerType)
      .add("re", DataTypes.createArrayType(DataTypes.DoubleType, false))
      .add("im", DataTypes.createArrayType(DataTypes.DoubleType, false));

  @BeforeAll
  static void analyse() {
    List<Row> channels = new ArrayList<>();
    int n = DIAGONAL.length;
    double[][] diagonal = new double[2][n * n];
    for (int i = 0; i < n; i++) {
      diagonal[0][i * n + i] = DIAGONAL[i];
    }
    channels.add(channel(0, n, n, diagonal));
    channels.add(channel(1, n, n, scaledFourier(n, UNITARY_SCALE)));
    SplittableRandom rng = new SplittableRandom(5);
    u = unit(gaussian(n, rng));
    v = unit(gaussian(n, rng));
    double[][] rankOne = new double[2][n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        // σ u_i conj(v_j)
        rankOne[0][i * n + j] = RANK_ONE_SIGMA * (u[0][i] * v[0][j] + u[1][i] * v[1][j]);
        rankOne[1][i * n + j] = RANK_ONE_SIGMA * (u[1][i] * v[0][j] - u[0][i] * v[1][j]);
      }
    }
    channels.add(channel(2, n, n, rankOne));
    for (int k = 0; k < SCALARS.length; k++) {
      channels.add(channel(3 + k, 1, 1, new double[][] {{SCALARS[k][0]}, {SCALARS[k][1]}}));
    }
    int[][] shapes = {{4, 4}, {6, 3}, {3, 6}};
    for (int k = 0; k < RANDOM; k++) {
      int[] shape = shapes[k % shapes.length];
      double[][] h = gaussian(shape[0] * shape[1], rng);
      channels.add(channel(10 + k, shape[0], shape[1], h));
    }
    String out = dir.resolve("known").toString();
    Settings s = settings(out);
    spark.createDataFrame(channels, SCHEMA).repartition(3).write().parquet(s.output().paths().channels());
    AnalyzeJob.Result analysed = Jobs.analyze(spark, s);
    assertEquals(Map.of("ok", (long) channels.size()), analysed.statusCounts(), "every channel of every rank is ok");
    Jobs.summarize(spark, s);
    rows = new HashMap<>();
    for (Row m : spark.read().parquet(s.output().paths().metrics()).collectAsList()) {
      rows.put(m.getAs("subcarrier"), m);
    }
    summary = spark.read().parquet(s.output().paths().summary()).collectAsList();
  }

  private static Settings settings(String out) {
    return Settings.load(null, List.of("analysis.snr-db=[-10, 0, 10, 20, 30]", "analysis.zf-vectors=" + ZF_VECTORS,
        "analysis.chunk-size=7"), out);
  }

  @Test
  void diagonalChannel() {
    Row m = rows.get(0);
    double sum = 0;
    double energy = 0;
    for (double d : DIAGONAL) {
      sum += d;
      energy += d * d;
    }
    double entropy = 0;
    for (double d : DIAGONAL) {
      entropy -= d / sum * Math.log(d / sum);
    }
    assertInt(m, Metric.RANK, 4);
    assertList(m, Metric.SINGULAR_VALUES, new double[] {4, 3, 2, 1}, 1e-14);
    assertTiny(m, Metric.RECON_ERROR);
    assertTiny(m, Metric.ORTH_ERROR);
    assertTiny(m, Metric.EIG_GAP);
    assertScalar(m, Metric.COND_DB, 20 * Math.log10(4), 1e-12);
    assertScalar(m, Metric.EFFECTIVE_RANK, Math.exp(entropy), 1e-12);
    assertList(m, Metric.LOWRANK_ERROR,
        new double[] {Math.sqrt(14 / energy), Math.sqrt(5 / energy), Math.sqrt(1 / energy), 0}, 1e-14);
    double[] rate = new double[SNR_DB.length];
    double[] mse = new double[SNR_DB.length];
    double[] zf = new double[SNR_DB.length];
    double[] gains = new double[DIAGONAL.length];
    for (int s = 0; s < SNR_DB.length; s++) {
      double rho = rho(s);
      for (int k = 0; k < DIAGONAL.length; k++) {
        double g = rho * DIAGONAL[k] * DIAGONAL[k] / 4;
        rate[s] += Math.log1p(g) / LN2;
        mse[s] += 1 / (1 + g) / 4;
        zf[s] += 1 / (DIAGONAL[k] * DIAGONAL[k]) / 4 / rho;
        gains[k] = DIAGONAL[k] * DIAGONAL[k];
      }
    }
    // Streams that do not interfere: the linear receivers reach the equal-power capacity.
    assertList(m, Metric.CAPACITY, rate, 1e-12);
    assertList(m, Metric.RATE_ZF, rate, 1e-12);
    assertList(m, Metric.RATE_MMSE, rate, 1e-12);
    assertList(m, Metric.MSE_MMSE, mse, 1e-14);
    assertList(m, Metric.CAPACITY_WF, waterFilling(gains), 1e-12);
    assertSampled(m, Metric.ZF_MSE, zf);
    // A diagonal system is solved by one division per entry: both routes exact to round-off.
    assertTiny(m, Metric.ZF_SOLVE_ERROR);
    assertTiny(m, Metric.ZF_SOLVE_GAP);
  }

  @Test
  void scaledUnitaryChannel() {
    Row m = rows.get(1);
    double c = UNITARY_SCALE;
    assertInt(m, Metric.RANK, 4);
    assertList(m, Metric.SINGULAR_VALUES, new double[] {c, c, c, c}, 1e-14);
    assertTiny(m, Metric.RECON_ERROR);
    assertTiny(m, Metric.ORTH_ERROR);
    assertTiny(m, Metric.EIG_GAP);
    assertScalar(m, Metric.COND_DB, 0, 1e-12);
    assertScalar(m, Metric.EFFECTIVE_RANK, 4, 1e-12);
    assertList(m, Metric.LOWRANK_ERROR, new double[] {Math.sqrt(0.75), Math.sqrt(0.5), Math.sqrt(0.25), 0}, 1e-14);
    double[] rate = new double[SNR_DB.length];
    double[] mse = new double[SNR_DB.length];
    double[] zf = new double[SNR_DB.length];
    for (int s = 0; s < SNR_DB.length; s++) {
      double g = rho(s) * c * c / 4;
      rate[s] = 4 * Math.log1p(g) / LN2;
      mse[s] = 1 / (1 + g);
      zf[s] = 1 / (c * c * rho(s));
    }
    // HᴴH = c²I: every receiver, and water-filling, reach n·log2(1 + ρc²/n).
    for (Metric r : new Metric[] {Metric.CAPACITY, Metric.CAPACITY_WF, Metric.RATE_ZF, Metric.RATE_MMSE}) {
      assertList(m, r, rate, 1e-12);
    }
    assertList(m, Metric.MSE_MMSE, mse, 1e-14);
    assertSampled(m, Metric.ZF_MSE, zf);
    assertTiny(m, Metric.ZF_SOLVE_ERROR);
    assertTiny(m, Metric.ZF_SOLVE_GAP);
  }

  @Test
  void rankOneChannel() {
    Row m = rows.get(2);
    double s1 = RANK_ONE_SIGMA;
    assertInt(m, Metric.RANK, 1);
    assertList(m, Metric.SINGULAR_VALUES, new double[] {s1, 0, 0, 0}, 1e-14);
    assertTiny(m, Metric.RECON_ERROR);
    assertTiny(m, Metric.ORTH_ERROR);
    assertTiny(m, Metric.EIG_GAP);
    assertScalar(m, Metric.COND_DB, Double.POSITIVE_INFINITY, 0);
    assertScalar(m, Metric.EFFECTIVE_RANK, 1, 1e-12);
    assertList(m, Metric.LOWRANK_ERROR, new double[] {0, 0, 0, 0}, 1e-14);
    double[] capacity = new double[SNR_DB.length];
    double[] wf = new double[SNR_DB.length];
    double[] rate = new double[SNR_DB.length];
    double[] mse = new double[SNR_DB.length];
    for (int s = 0; s < SNR_DB.length; s++) {
      double g = rho(s) * s1 * s1 / 4;
      capacity[s] = Math.log1p(g) / LN2;
      wf[s] = Math.log1p(rho(s) * s1 * s1) / LN2;
      // (I + aHᴴH)⁻¹ = I − (aσ²/(1 + aσ²)) v vᴴ
      for (int k = 0; k < 4; k++) {
        double e = 1 - (v[0][k] * v[0][k] + v[1][k] * v[1][k]) * g / (1 + g);
        rate[s] -= Math.log(e) / LN2;
        mse[s] += e / 4;
      }
    }
    assertList(m, Metric.CAPACITY, capacity, 1e-12);
    assertList(m, Metric.CAPACITY_WF, wf, 1e-12);
    assertList(m, Metric.RATE_MMSE, rate, 1e-11);
    assertList(m, Metric.MSE_MMSE, mse, 1e-14);
    assertUndefined(m, Metric.RATE_ZF);
    assertUndefined(m, Metric.ZF_MSE);
    assertUndefined(m, Metric.ZF_SOLVE_ERROR);
    assertUndefined(m, Metric.ZF_SOLVE_GAP);
  }

  @Test
  void oneByOneChannels() {
    for (int k = 0; k < SCALARS.length; k++) {
      Row m = rows.get(3 + k);
      double gain = SCALARS[k][0] * SCALARS[k][0] + SCALARS[k][1] * SCALARS[k][1];
      assertInt(m, Metric.RANK, 1);
      assertList(m, Metric.SINGULAR_VALUES, new double[] {Math.sqrt(gain)}, 1e-15);
      assertScalar(m, Metric.COND_DB, 0, 0);
      assertScalar(m, Metric.EFFECTIVE_RANK, 1, 1e-15);
      assertList(m, Metric.LOWRANK_ERROR, new double[] {0}, 0);
      double[] rate = new double[SNR_DB.length];
      double[] mse = new double[SNR_DB.length];
      double[] zf = new double[SNR_DB.length];
      for (int s = 0; s < SNR_DB.length; s++) {
        rate[s] = Math.log1p(rho(s) * gain) / LN2;
        mse[s] = 1 / (1 + rho(s) * gain);
        zf[s] = 1 / (gain * rho(s));
      }
      // One antenna each way: every rate is log2(1 + ρ|h|²).
      for (Metric r : new Metric[] {Metric.CAPACITY, Metric.CAPACITY_WF, Metric.RATE_ZF, Metric.RATE_MMSE}) {
        assertList(m, r, rate, 1e-13);
      }
      assertList(m, Metric.MSE_MMSE, mse, 1e-15);
      assertSampled(m, Metric.ZF_MSE, zf);
      assertTiny(m, Metric.ZF_SOLVE_ERROR);
      assertTiny(m, Metric.ZF_SOLVE_GAP);
    }
  }

  @Test
  void ratesKeepTheirOrderOnRandomChannels() {
    for (int k = 0; k < RANDOM; k++) {
      Row m = rows.get(10 + k);
      int r = m.getAs("rows");
      int c = m.getAs("cols");
      List<Double> zf = m.getAs(Metric.RATE_ZF.column()) == null ? null : m.getList(m.fieldIndex("rate_zf"));
      List<Double> mmse = m.getList(m.fieldIndex("rate_mmse"));
      List<Double> capacity = m.getList(m.fieldIndex("capacity"));
      List<Double> wf = m.getList(m.fieldIndex("capacity_wf"));
      assertEquals(r >= c, zf != null, r + "x" + c + ": zero-forcing needs rows ≥ cols");
      assertEquals(r >= c, m.getAs(Metric.ZF_SOLVE_ERROR.column()) != null, r + "x" + c + ": the solve route too");
      if (r >= c) {
        double error = m.<Double>getAs(Metric.ZF_SOLVE_ERROR.column());
        assertTrue(error > 0 && error < 1e-14, r + "x" + c + ": the solve's backward error " + error);
        assertTrue(m.<Double>getAs(Metric.ZF_SOLVE_GAP.column()) < 1e-9, r + "x" + c + ": the two routes agree");
      }
      for (int s = 0; s < SNR_DB.length; s++) {
        double slack = 1 + 1e-12;
        if (zf != null) {
          assertTrue(zf.get(s) <= mmse.get(s) * slack, r + "x" + c + ": zf ≤ mmse");
        }
        assertTrue(mmse.get(s) <= capacity.get(s) * slack, r + "x" + c + ": mmse ≤ capacity");
        assertTrue(capacity.get(s) <= wf.get(s) * slack, r + "x" + c + ": capacity ≤ water-filling");
      }
    }
  }

  @Test
  void summaryCountsAndAveragesTheRows() {
    for (Row s : summary) {
      int r = s.getAs("rows");
      int c = s.getAs("cols");
      int snr = indexOf(s.<Double>getAs("snr_db"));
      double capacity = 0;
      double zf = 0;
      long zfRows = 0;
      long matrices = 0;
      long deficient = 0;
      for (Row m : rows.values()) {
        if (m.<Integer>getAs("rows") == r && m.<Integer>getAs("cols") == c) {
          matrices++;
          deficient += m.<Integer>getAs("rank") < Math.min(r, c) ? 1 : 0;
          capacity += m.<Double>getList(m.fieldIndex("capacity")).get(snr);
          if (m.getAs("rate_zf") != null) {
            zf += m.<Double>getList(m.fieldIndex("rate_zf")).get(snr);
            zfRows++;
          }
        }
      }
      assertEquals(matrices, s.<Long>getAs("matrices"));
      assertEquals(deficient, s.<Long>getAs("rank_deficient"));
      assertEquals(capacity / matrices, s.<Double>getAs("capacity_mean"), 1e-12);
      if (zfRows == 0) {
        assertNull(s.getAs("rate_zf_mean"), "no row defines it");
      } else {
        assertEquals(zf / zfRows, s.<Double>getAs("rate_zf_mean"), 1e-12, "over the rows that define it");
      }
    }
    assertEquals(1L, summary.stream().filter(s -> s.<Integer>getAs("rows") == 4 && s.<Integer>getAs("cols") == 4)
        .findFirst().orElseThrow().<Long>getAs("rank_deficient"), "the rank-one channel");
  }

  @Test
  void everyMetricColumnIsCheckedAbove() {
    // The columns the closed-form tests above check: a metric added to the declaration needs a
    // closed-form check there before it can be added here.
    Set<String> covered = Set.of("rank", "singular_values", "recon_error", "orth_error", "cond_db", "effective_rank",
        "eig_gap", "lowrank_error", "capacity", "capacity_wf", "rate_zf", "rate_mmse", "mse_mmse", "zf_mse",
        "zf_solve_error", "zf_solve_gap");
    Set<String> declared = new HashSet<>();
    for (Metric m : Metric.values()) {
      declared.add(m.column());
    }
    assertEquals(declared, covered, "a new metric needs a closed-form check in this class");
  }

  // ---- assertions -------------------------------------------------------------------------

  private static void assertInt(Row m, Metric metric, int expected) {
    assertEquals(expected, m.<Integer>getAs(metric.column()), metric.column());
  }

  private static void assertScalar(Row m, Metric metric, double expected, double tol) {
    assertEquals(expected, m.<Double>getAs(metric.column()), tol, metric.column());
  }

  private static void assertTiny(Row m, Metric metric) {
    double v = m.getAs(metric.column());
    assertTrue(v >= 0 && v < 1e-14, metric.column() + " = " + v);
  }

  private static void assertUndefined(Row m, Metric metric) {
    assertNull(m.getAs(metric.column()), metric.column() + " is undefined here");
  }

  private static void assertList(Row m, Metric metric, double[] expected, double relative) {
    List<Double> actual = m.getList(m.fieldIndex(metric.column()));
    assertEquals(expected.length, actual.size(), metric.column());
    for (int j = 0; j < expected.length; j++) {
      assertEquals(expected[j], actual.get(j), relative * Math.max(1, Math.abs(expected[j])), metric.column() + "[" + j + "]");
    }
  }

  /** A sampled mean of 1000 QPSK vectors per SNR: within 15 % of its expectation. */
  private static void assertSampled(Row m, Metric metric, double[] expected) {
    List<Double> actual = m.getList(m.fieldIndex(metric.column()));
    for (int j = 0; j < expected.length; j++) {
      assertEquals(expected[j], actual.get(j), 0.15 * expected[j], metric.column() + "[" + j + "]");
    }
  }

  // ---- channels ---------------------------------------------------------------------------

  private static Row channel(int subcarrier, int rows, int cols, double[][] h) {
    List<Double> re = new ArrayList<>();
    List<Double> im = new ArrayList<>();
    for (int x = 0; x < rows * cols; x++) {
      re.add(h[0][x]);
      im.add(h[1][x]);
    }
    return RowFactory.create(0, 0, subcarrier, rows, cols, re, im);
  }

  /** c·F with F the unitary DFT matrix, F_jk = exp(−2πi jk/n)/√n. */
  private static double[][] scaledFourier(int n, double c) {
    double[][] h = new double[2][n * n];
    for (int j = 0; j < n; j++) {
      for (int k = 0; k < n; k++) {
        double angle = -2 * Math.PI * j * k / n;
        h[0][j * n + k] = c * Math.cos(angle) / Math.sqrt(n);
        h[1][j * n + k] = c * Math.sin(angle) / Math.sqrt(n);
      }
    }
    return h;
  }

  private static double[][] gaussian(int count, SplittableRandom rng) {
    double[][] h = new double[2][count];
    for (int x = 0; x < count; x++) {
      h[0][x] = rng.nextGaussian() * Math.sqrt(0.5);
      h[1][x] = rng.nextGaussian() * Math.sqrt(0.5);
    }
    return h;
  }

  private static double[][] unit(double[][] x) {
    double norm = 0;
    for (int i = 0; i < x[0].length; i++) {
      norm += x[0][i] * x[0][i] + x[1][i] * x[1][i];
    }
    norm = Math.sqrt(norm);
    for (int i = 0; i < x[0].length; i++) {
      x[0][i] /= norm;
      x[1][i] /= norm;
    }
    return x;
  }

  /**
   * Water-filling over independent gains, by bisection on the water level μ: powers (μ − 1/(ρg))⁺
   * summing to one. A reference that shares nothing with the analysis' active-set solution.
   */
  private static double[] waterFilling(double[] gains) {
    double[] c = new double[SNR_DB.length];
    for (int s = 0; s < SNR_DB.length; s++) {
      double rho = rho(s);
      double lo = 0;
      double hi = 1e6;
      for (int it = 0; it < 200; it++) {
        double mu = 0.5 * (lo + hi);
        double total = 0;
        for (double g : gains) {
          total += Math.max(0, mu - 1 / (rho * g));
        }
        if (total > 1) {
          hi = mu;
        } else {
          lo = mu;
        }
      }
      for (double g : gains) {
        double p = Math.max(0, lo - 1 / (rho * g));
        c[s] += Math.log1p(rho * g * p) / LN2;
      }
    }
    return c;
  }

  private static double rho(int s) {
    return Math.pow(10, SNR_DB[s] / 10);
  }

  private static int indexOf(double snrDb) {
    for (int s = 0; s < SNR_DB.length; s++) {
      if (SNR_DB[s] == snrDb) {
        return s;
      }
    }
    throw new AssertionError("no SNR " + snrDb);
  }
}

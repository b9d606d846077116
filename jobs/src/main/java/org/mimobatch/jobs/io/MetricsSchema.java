package org.mimobatch.jobs.io;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.mimobatch.pipeline.refine.RefineMethod;
import org.mimobatch.pipeline.refine.RefineSpec;

/**
 * The metrics dataset: the key columns of the channels (every column but re and im), then
 *
 * <pre>
 *   status          : string         ok | singular | zero | not-converged | non-finite | shape-error
 *   snr_db          : array&lt;double&gt;  the SNR grid; the list columns below align with it
 *   singular_values : array&lt;double&gt;  descending
 *   recon_error     : double         ‖H − UΣVᴴ‖_F / ‖H‖_F
 *   orth_error      : double         max(max|UᴴU − I|, max|VᴴV − I|)
 *   cond_db         : double         20·log10(σ_max / σ_min)
 *   effective_rank  : double         Roy–Vetterli effective rank
 *   eig_gap         : double         max |λ_i(HᴴH) − σ_i²| / σ_max²
 *   lowrank_error   : array&lt;double&gt;  ‖H − H_r‖_F / ‖H‖_F of the best rank-r approximation, r = 1 .. min(rows, cols)
 *   capacity        : array&lt;double&gt;  equal-power capacity per SNR, bits/s/Hz
 *   capacity_wf     : array&lt;double&gt;  water-filling capacity per SNR
 *   zf_mse          : array&lt;double&gt;  zero-forcing mean squared symbol error per SNR (null when rows &lt; cols)
 * </pre>
 * then, for every configured refinement m (prefix refine_m, '-' written '_'):
 * <pre>
 *   refine_m_status     : string    converged | not-converged | non-finite | degenerate | not-applicable
 *   refine_m_iterations : int       updates applied when it stopped
 *   refine_m_loss       : double    the final loss, in the method's measure
 *   refine_m_converged  : boolean
 *   refine_m_error      : double    against the direct result
 *   refine_mixed_precision_error_before : double   the complex64 start's error
 * </pre>
 * Every metric is null when status is not ok.
 */
public final class MetricsSchema {
  public static final String STATUS = "status";
  public static final String SNR_DB = "snr_db";
  public static final String SINGULAR_VALUES = "singular_values";
  public static final String RECON_ERROR = "recon_error";
  public static final String ORTH_ERROR = "orth_error";
  public static final String COND_DB = "cond_db";
  public static final String EFFECTIVE_RANK = "effective_rank";
  public static final String EIG_GAP = "eig_gap";
  public static final String CAPACITY = "capacity";
  public static final String CAPACITY_WF = "capacity_wf";
  public static final String ZF_MSE = "zf_mse";
  public static final String LOWRANK_ERROR = "lowrank_error";
  public static final String STATUS_SUFFIX = "_status";
  public static final String ITERATIONS_SUFFIX = "_iterations";
  public static final String LOSS_SUFFIX = "_loss";
  public static final String CONVERGED_SUFFIX = "_converged";
  public static final String ERROR_SUFFIX = "_error";
  public static final String ERROR_BEFORE_SUFFIX = "_error_before";

  private MetricsSchema() {}

  /** The metric fields, appended after the key columns. */
  public static List<StructField> metricFields() {
    DataType doubles = DataTypes.createArrayType(DataTypes.DoubleType, false);
    List<StructField> f = new ArrayList<>();
    f.add(DataTypes.createStructField(STATUS, DataTypes.StringType, false));
    f.add(DataTypes.createStructField(SNR_DB, doubles, false));
    f.add(DataTypes.createStructField(SINGULAR_VALUES, doubles, true));
    f.add(DataTypes.createStructField(RECON_ERROR, DataTypes.DoubleType, true));
    f.add(DataTypes.createStructField(ORTH_ERROR, DataTypes.DoubleType, true));
    f.add(DataTypes.createStructField(COND_DB, DataTypes.DoubleType, true));
    f.add(DataTypes.createStructField(EFFECTIVE_RANK, DataTypes.DoubleType, true));
    f.add(DataTypes.createStructField(EIG_GAP, DataTypes.DoubleType, true));
    f.add(DataTypes.createStructField(CAPACITY, doubles, true));
    f.add(DataTypes.createStructField(CAPACITY_WF, doubles, true));
    f.add(DataTypes.createStructField(ZF_MSE, doubles, true));
    f.add(DataTypes.createStructField(LOWRANK_ERROR, doubles, true));
    return f;
  }

  /** The metric fields that hold values (all but status): written without min/max statistics. */
  public static List<String> valueColumns() {
    List<String> names = new ArrayList<>();
    for (StructField f : metricFields()) {
      if (!f.name().equals(STATUS)) {
        names.add(f.name());
      }
    }
    return names;
  }

  /** The columns of every configured refinement, in order. */
  public static List<StructField> refineFields(RefineSpec refine) {
    List<StructField> f = new ArrayList<>();
    for (RefineMethod m : refine.methods()) {
      String p = m.columnPrefix();
      f.add(DataTypes.createStructField(p + STATUS_SUFFIX, DataTypes.StringType, true));
      f.add(DataTypes.createStructField(p + ITERATIONS_SUFFIX, DataTypes.IntegerType, true));
      f.add(DataTypes.createStructField(p + LOSS_SUFFIX, DataTypes.DoubleType, true));
      f.add(DataTypes.createStructField(p + CONVERGED_SUFFIX, DataTypes.BooleanType, true));
      f.add(DataTypes.createStructField(p + ERROR_SUFFIX, DataTypes.DoubleType, true));
      if (m == RefineMethod.MIXED_PRECISION) {
        f.add(DataTypes.createStructField(p + ERROR_BEFORE_SUFFIX, DataTypes.DoubleType, true));
      }
    }
    return f;
  }

  /** The metrics schema for channels with {@code keyFields} (the input's columns but re and im). */
  public static StructType of(List<StructField> keyFields, RefineSpec refine) {
    List<StructField> all = new ArrayList<>(keyFields);
    all.addAll(metricFields());
    all.addAll(refineFields(refine));
    return new StructType(all.toArray(new StructField[0]));
  }

  /** Throws an {@link InputException} unless {@code schema} has the metric columns summarize reads. */
  public static void validate(StructType schema, String path) {
    List<String> names = List.of(schema.fieldNames());
    for (StructField expected : metricFields()) {
      if (!names.contains(expected.name())) {
        throw new InputException(path + " has no column '" + expected.name() + "': is it a metrics dataset written by analyze?");
      }
      DataType actual = schema.apply(expected.name()).dataType();
      if (!sameIgnoringNullability(actual, expected.dataType())) {
        throw new InputException("column '" + expected.name() + "' of " + path + " must be "
            + expected.dataType().simpleString() + ", found " + actual.simpleString());
      }
    }
    for (String key : new String[] {ChannelsSchema.ROWS, ChannelsSchema.COLS}) {
      if (!names.contains(key) || !ChannelsSchema.isIntegral(schema.apply(key).dataType())) {
        throw new InputException(path + " needs an integer column '" + key + "'");
      }
    }
  }

  private static boolean sameIgnoringNullability(DataType a, DataType b) {
    return a.simpleString().equals(b.simpleString());
  }
}

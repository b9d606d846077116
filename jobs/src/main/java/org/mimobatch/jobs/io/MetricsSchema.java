package org.mimobatch.jobs.io;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

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
 *   capacity        : array&lt;double&gt;  equal-power capacity per SNR, bits/s/Hz
 *   capacity_wf     : array&lt;double&gt;  water-filling capacity per SNR
 *   zf_mse          : array&lt;double&gt;  zero-forcing mean squared symbol error per SNR (null when rows &lt; cols)
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
    return f;
  }

  /** The metrics schema for channels with {@code keyFields} (the input's columns but re and im). */
  public static StructType of(List<StructField> keyFields) {
    List<StructField> all = new ArrayList<>(keyFields);
    all.addAll(metricFields());
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

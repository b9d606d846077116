/**
 * mimobatch for Spark users: the supported surface for a Spark job, spark-shell or a notebook that
 * holds channels as a Dataset and wants their metrics as one, without files in between.
 *
 * <ul>
 *   <li>{@link org.mimobatch.api.Channels}: channel Datasets drawn from a channel model or read
 *       from NumPy, HDF5 and MATLAB files, and the contract a user's own Dataset of channels
 *       follows;</li>
 *   <li>{@link org.mimobatch.api.ChannelAnalysis}: channels to metrics, one row per channel row,
 *       lazily (nothing is written or computed until an action);</li>
 *   <li>{@link org.mimobatch.api.MetricsSummary}: metrics to the summary and its distributions,
 *       grouped by any columns of the metrics (also columns a user joined in);</li>
 *   <li>{@link org.mimobatch.api.ChannelMetrics}: the analysis as a Spark MLlib
 *       {@code Transformer}, to put in a {@code Pipeline} beside MLlib's own stages.</li>
 * </ul>
 *
 * <p><b>The channel contract.</b> A Dataset of channels has integer columns {@code link},
 * {@code slot}, {@code subcarrier} (the keys), {@code rows} and {@code cols} (the matrix shape),
 * and {@code re} and {@code im}: arrays of the same element type, {@code double} (complex128) or
 * {@code float} (complex64), with rows·cols entries each, row-major (entry i·cols + j is
 * H[i][j]). Any other column passes through to the metrics unchanged, except one named like a
 * metric. Rows of other shapes, with nulls or wrong lengths become metrics rows with a status
 * other than {@code ok}: rows in equal rows out.
 *
 * <p>The commands of {@code bin/mimobatch} add to this what a command needs: run ids, atomic
 * publication of what they write, progress lines and the report.
 */
package org.mimobatch.api;

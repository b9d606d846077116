/**
 * Every use of Spark's internal API in mimobatch, so that a Spark upgrade breaks one package:
 * mapping a DataFrame's partitions as internal rows and reading a plain Parquet scan's column
 * batches in place ({@link org.mimobatch.jobs.spark.InternalRows}), building internal rows and
 * their arrays ({@link org.mimobatch.jobs.spark.Rows}), and Spark's schema of a Parquet footer
 * ({@link org.mimobatch.jobs.spark.ParquetSchemas}). Checked against Spark 4.1.0 (the pom's
 * spark.version).
 *
 * <p>The rest of the jobs module uses Spark's public API, and reads and writes rows through the
 * types of its DataSource V2 connector API ({@code InternalRow}, {@code ArrayData},
 * {@code UTF8String}), which connectors outside Spark are written against.
 */
package org.mimobatch.jobs.spark;

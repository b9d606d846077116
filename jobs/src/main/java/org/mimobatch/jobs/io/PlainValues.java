package org.mimobatch.jobs.io;

import java.util.Arrays;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.schema.PrimitiveType;

/**
 * The values of one data page in PLAIN encoding, as parquet-mr's plain writer lays them out
 * (little-endian; NaN as Java's one NaN bit pattern), with the page's min/max statistics where the
 * column has them. One buffer serves page after page.
 */
final class PlainValues {
  private final PrimitiveType type;
  private final boolean statisticsEnabled;
  private byte[] bytes = new byte[32768];
  private int size;
  private Statistics<?> statistics;

  PlainValues(PrimitiveType type, boolean statisticsEnabled) {
    this.type = type;
    this.statisticsEnabled = statisticsEnabled;
    this.statistics = newStatistics();
  }

  /** Makes room for {@code more} bytes. */
  void reserve(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, size + more));
    }
  }

  void addDouble(double v) {
    LittleEndian.LONG.set(bytes, size, Double.doubleToLongBits(v));
    size += 8;
    if (statisticsEnabled) {
      statistics.updateStats(v);
    }
  }

  void addLong(long v) {
    LittleEndian.LONG.set(bytes, size, v);
    size += 8;
    if (statisticsEnabled) {
      statistics.updateStats(v);
    }
  }

  void addFloat(float v) {
    LittleEndian.INT.set(bytes, size, Float.floatToIntBits(v));
    size += 4;
    if (statisticsEnabled) {
      statistics.updateStats(v);
    }
  }

  void addInt(int v) {
    LittleEndian.INT.set(bytes, size, v);
    size += 4;
    if (statisticsEnabled) {
      statistics.updateStats(v);
    }
  }

  int size() {
    return size;
  }

  /** The page's values; valid until the next {@link #reset}. */
  BytesInput bytes() {
    return BytesInput.from(bytes, 0, size);
  }

  /** The page's statistics, with its {@code nulls} counted in. */
  Statistics<?> statistics(int nulls) {
    statistics.incrementNumNulls(nulls);
    return statistics;
  }

  /** Empties the buffer for the next page, with fresh statistics (the page writer keeps the old). */
  void reset() {
    size = 0;
    statistics = newStatistics();
  }

  private Statistics<?> newStatistics() {
    return statisticsEnabled ? Statistics.createStats(type) : Statistics.noopStats(type);
  }
}

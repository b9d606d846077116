package org.mimobatch.jobs.summary;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;

/** The statistics of every group of metrics rows seen, by group (rows, cols and group-by values). */
public final class Summary implements Serializable {
  private static final long serialVersionUID = 1L;

  final Map<List<Object>, GroupStats> groups = new LinkedHashMap<>();
  /** The group of the previous row: rows of one group mostly follow each other. */
  private transient List<Object> lastKey;
  private transient GroupStats last;

  void add(InternalRow row, SummaryLayout layout) {
    if (last == null || !layout.inGroup(row, lastKey)) {
      lastKey = layout.group(row);
      last = groups.get(lastKey);
      if (last == null) {
        last = new GroupStats(layout.refinements.size());
        groups.put(lastKey, last);
      }
    }
    last.add(row, layout, lastKey);
  }

  void merge(Summary other) {
    last = null;
    for (Map.Entry<List<Object>, GroupStats> e : other.groups.entrySet()) {
      GroupStats mine = groups.get(e.getKey());
      if (mine == null) {
        groups.put(e.getKey(), e.getValue());
      } else {
        mine.merge(e.getValue());
      }
    }
  }

  boolean isEmpty() {
    return groups.isEmpty();
  }
}

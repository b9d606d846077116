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

  void add(InternalRow row, SummaryLayout layout) {
    List<Object> key = layout.group(row);
    GroupStats g = groups.get(key);
    if (g == null) {
      g = new GroupStats(layout.refinements.size());
      groups.put(key, g);
    }
    g.add(row, layout, key);
  }

  void merge(Summary other) {
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

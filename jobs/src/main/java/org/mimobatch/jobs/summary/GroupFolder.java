package org.mimobatch.jobs.summary;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;

/** A task's metrics rows folded into one {@link GroupStats} per group, as they pass. */
final class GroupFolder {
  private final SummaryLayout layout;
  private final int k;
  private final Map<List<Object>, GroupStats> groups = new LinkedHashMap<>();
  /** The group of the previous row: rows of one group mostly follow each other. */
  private List<Object> lastKey;
  private GroupStats last;

  GroupFolder(SummaryLayout layout, int k) {
    this.layout = layout;
    this.k = k;
  }

  void add(InternalRow row) {
    if (last == null || !layout.inGroup(row, lastKey)) {
      lastKey = layout.group(row);
      last = groups.computeIfAbsent(lastKey, x -> new GroupStats(k));
    }
    last.add(row, layout, lastKey);
  }

  /** The groups seen, by key values (strings as Java strings), in the order first seen. */
  Map<List<Object>, GroupStats> groups() {
    return groups;
  }
}

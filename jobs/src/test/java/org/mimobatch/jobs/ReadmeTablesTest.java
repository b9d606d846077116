package org.mimobatch.jobs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.mimobatch.pipeline.analysis.Metric;
import org.mimobatch.pipeline.refine.RefineColumn;

/** README's tables of metric columns are the declarations', line for line. */
class ReadmeTablesTest {
  private static String readme() throws IOException {
    Path here = Path.of("README.md");
    return Files.readString(Files.exists(here) ? here : Path.of("..", "README.md"));
  }

  /** The metrics table: one row per metric column, after status and snr_db. */
  static String metricsTable() {
    StringBuilder t = new StringBuilder();
    for (Metric m : Metric.values()) {
      String type = switch (m.shape()) {
        case SCALAR -> m.type() == Metric.Type.INT ? "int" : "double";
        case PER_INDEX -> "list per index";
        case PER_SNR -> "list per SNR";
      };
      t.append("| `").append(m.column()).append("` | ").append(type).append(" | ").append(m.description()).append(" |\n");
    }
    return t.toString();
  }

  /** The table of the columns each refinement adds. */
  static String refineTable() {
    StringBuilder t = new StringBuilder();
    for (RefineColumn c : RefineColumn.values()) {
      String type = c.type().name().toLowerCase(java.util.Locale.ROOT).replace("status", "string");
      t.append("| `refine_m").append(c.suffix()).append("` | ").append(type).append(" | ").append(c.description())
          .append(" |\n");
    }
    return t.toString();
  }

  @Test
  void metricsTableIsTheDeclaration() throws IOException {
    String expected = metricsTable();
    assertTrue(readme().contains(expected), "README's metrics table must list, in order:\n" + expected);
  }

  @Test
  void refinementTableIsTheDeclaration() throws IOException {
    String expected = refineTable();
    assertTrue(readme().contains(expected), "README's refinement column table must list, in order:\n" + expected);
  }
}

package org.mimobatch.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every notebook in notebooks/ executed headless against runs it makes with bin/mimobatch (after
 * the package phase built it), as notebooks/execute.py runs them: each notebook's assertions are
 * the test.
 */
class NotebooksIT {
  @TempDir
  Path out;

  @Test
  void everyNotebookExecutes() throws IOException {
    Path python = ExternalTools.notebookPython();
    Path root = ExternalTools.projectRoot();
    List<String> command = List.of("env", "MIMOBATCH_OUT=" + out, "MIMOBATCH_CDS=0", python.toString(),
        root.resolve("notebooks/execute.py").toString());
    ExternalTools.Output run = ExternalTools.run(command, root, 1500);
    assertEquals(0, run.exit(), run.stdout() + run.stderr());

    List<Path> notebooks;
    try (Stream<Path> s = Files.list(root.resolve("notebooks"))) {
      notebooks = s.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
    }
    assertEquals(3, notebooks.size(), notebooks.toString());
    ObjectMapper json = new ObjectMapper();
    for (Path committed : notebooks) {
      JsonNode source = json.readTree(committed.toFile());
      for (JsonNode cell : source.get("cells")) {
        if (cell.has("outputs")) {
          assertEquals(0, cell.get("outputs").size(), committed + " is committed without outputs");
        }
      }
      JsonNode executed = json.readTree(out.resolve("notebooks").resolve(committed.getFileName()).toFile());
      int figures = 0;
      for (JsonNode cell : executed.get("cells")) {
        for (JsonNode output : cell.path("outputs")) {
          assertTrue(!"error".equals(output.path("output_type").asText()), committed + ": " + output);
          figures += output.path("data").has("image/png") ? 1 : 0;
        }
      }
      int expected = Map.of("capacity.ipynb", 3, "gradient-inverse.ipynb", 2, "low-rank.ipynb", 1)
          .get(committed.getFileName().toString());
      assertEquals(expected, figures, committed + ": figures drawn");
    }
  }
}

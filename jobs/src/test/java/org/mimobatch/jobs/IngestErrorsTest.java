package org.mimobatch.jobs;

import org.mimobatch.jobs.cli.MimoBatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mimobatch.jobs.config.Settings;
import org.mimobatch.jobs.config.SettingsException;
import org.mimobatch.jobs.io.InputException;

/** Bad channel files and settings: each stops with a message naming the file, variable, axes or key. */
class IngestErrorsTest extends SparkTestBase {
  private static final File DIR = new File(IngestErrorsTest.class.getResource("/ingest/fixtures.json").getFile())
      .getParentFile();

  @TempDir
  Path dir;

  private Settings settings(String... set) {
    List<String> all = new ArrayList<>(List.of(set));
    return Settings.load(null, all, dir.resolve("out").toString());
  }

  private static String fixture(String name) {
    return "input.path=\"" + new File(DIR, name).getAbsolutePath() + "\"";
  }

  private String fails(String... set) {
    Exception e = assertThrows(RuntimeException.class, () -> Jobs.ingest(spark, settings(set)));
    Throwable t = MimoBatch.knownCause(e);
    assertTrue(t instanceof InputException || t instanceof SettingsException, "a user error, not " + e);
    return t.getMessage();
  }

  @Test
  void aMissingVariableListsThoseThere() {
    String m = fails(fixture("sionna_ofdm.h5"), "input.preset=sionna-ofdm", "input.variable=H");
    assertTrue(m.contains("sionna_ofdm.h5") && m.contains("no dataset 'H'") && m.contains("/h_f"), m);
    m = fails(fixture("deepmimo_time.npz"), "input.preset=deepmimo", "input.variable=channels");
    assertTrue(m.contains("no entry 'channels'") && m.contains("channel, loc"), m);
    m = fails(fixture("quadriga_fr.mat"), "input.preset=quadriga-fr", "input.variable=H");
    assertTrue(m.contains("quadriga_fr.mat") && m.contains("no variable 'H'") && m.contains("fr"), m);
    m = fails(fixture("deepmimo_matlab.mat"), "input.preset=deepmimo-matlab",
        "input.variable=\"DeepMIMO_dataset{1}.users{:}.channel\"");
    assertTrue(m.contains("no field 'users'") && m.contains("user"), m);
  }

  @Test
  void everyMissingNameSaysWhichKeyToSet() {
    for (String[] bad : new String[][] {
        {fixture("sionna_ofdm.h5"), "input.variable=H", "input.axes=[link, rx, tx]"},
        {fixture("deepmimo_time.npz"), "input.variable=channels", "input.axes=[link, rx, tx]"},
        {fixture("quadriga_fr.mat"), "input.variable=H", "input.axes=[rx, tx]"},
        {fixture("deepmimo_matlab.mat"), "input.variable=DeepMIMO_dataset{1}.users{:}.channel",
            "input.axes=[rx, tx, subcarrier]"},
        {fixture("quadriga_lib.h5"), "input.variable=channel_{:}/Snapshot_{:}/coeff", "input.axes=[path, tx, rx]",
            "input.delays=channel_{:}/Snapshot_{:}/delay", "input.delay-axes=[0, 1, 2]", "input.subcarriers=4"}}) {
      String m = fails(bad);
      assertTrue(m.endsWith("set input.variable"), m);
    }
  }

  @Test
  void structsAndCellsNameWhatToTypeNext() {
    String m = fails(fixture("deepmimo_matlab.mat"), "input.variable=DeepMIMO_dataset{1}.user{2}",
        "input.axes=[rx, tx, subcarrier]");
    assertTrue(m.contains("DeepMIMO_dataset{1}.user{2} is a struct (fields: [channel, loc])")
        && m.contains("set input.variable to DeepMIMO_dataset{1}.user{2}.FIELD"), m);
    m = fails(fixture("h_cells.mat"), "input.variable=H", "input.axes=[rx, tx, subcarrier]");
    assertTrue(m.contains("H is a cell array of 3 elements") && m.contains("set input.variable to H{:}"), m);
  }

  @Test
  void sionnaRtReadAsSionnaCirPointsToItsPreset() {
    String m = fails(fixture("sionna_rt.npz"), "input.preset=sionna-cir", "input.subcarriers=6");
    assertTrue(m.contains("expected 7 axes") && m.contains("[2, 4, 1, 2, 3, 2]")
        && m.endsWith("set input.preset = sionna-rt"), m);
  }

  @Test
  void realAndImaginaryPartsAndShapesAreChecked() {
    String m = fails(fixture("deepmimo.npy"), "input.axes=[link, reim, tx, subcarrier]");
    assertTrue(m.contains("deepmimo.npy") && m.contains("this array is complex"), m);
    m = fails(fixture("flat_reim.npy"), "input.shape=[-1, 2, 7, 3]", "input.axes=[link, reim, rx, tx]");
    assertTrue(m.contains("flat_reim.npy") && m.contains("input.shape [-1, 2, 7, 3]") && m.contains("[5, 24]"), m);
    m = fails(fixture("flat_reim.npy"), "input.shape=[-1, 3, 4, 2]", "input.axes=[link, reim, rx, tx]");
    assertTrue(m.contains("flat_reim.npy") && m.contains("reim"), m);
    m = assertThrows(SettingsException.class, () -> settings(fixture("flat_reim.npy"), "input.shape=[-1, -1, 24]",
        "input.axes=[link, rx, tx]")).getMessage();
    assertTrue(m.startsWith("input.shape: at most one −1"), m);
    m = assertThrows(SettingsException.class, () -> settings(fixture("quadriga_lib.h5"),
        "input.preset=quadriga-lib", "input.subcarriers=4", "input.elements=[slot, slot]")).getMessage();
    assertTrue(m.startsWith("input.elements: at most one slot"), m);
    m = assertThrows(SettingsException.class, () -> settings(fixture("quadriga_lib.h5"),
        "input.preset=quadriga-lib", "input.subcarriers=4", "input.delays=channel_{:}/delay")).getMessage();
    assertTrue(m.startsWith("input.delays: channel_{:}/delay has 1 {:}, input.variable channel_{:}/Snap_{:}/coeff"
        + " has 2"), m);
  }

  @Test
  void aShapeThatDoesNotFitTheAxesNamesBoth() {
    String m = fails(fixture("deepmimo.npy"), "input.preset=sionna-ofdm");
    assertTrue(m.contains("deepmimo.npy") && m.contains("expected 7 axes [link, link, rx, link, tx, slot, subcarrier]")
        && m.contains("[3, 2, 4, 5]"), m);
  }

  @Test
  void truncatedAndForeignFilesNameTheFileAndOffset() throws IOException {
    byte[] whole = Files.readAllBytes(new File(DIR, "deepmimo.npy").toPath());
    Path cut = dir.resolve("cut.npy");
    Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 100));
    String m = fails("input.path=\"" + cut + "\"", "input.preset=deepmimo");
    assertTrue(m.contains("cut.npy is truncated") && m.contains("offset 128"), m);

    Path text = dir.resolve("notes.npy");
    Files.writeString(text, "not channels at all");
    m = fails("input.path=\"" + text + "\"", "input.preset=deepmimo");
    assertTrue(m.contains("notes.npy") && m.contains("not a NumPy .npy/.npz, HDF5 or MAT file"), m);

    m = fails("input.path=\"" + dir.resolve("nothing-here") + "\"", "input.preset=deepmimo");
    assertTrue(m.startsWith("input.path: nothing at"), m);
  }

  @Test
  void badAxesSettingsNameTheKey() {
    String m = assertThrows(SettingsException.class, () -> settings(fixture("deepmimo.npy"),
        "input.axes=[link, rx, rx, subcarrier]")).getMessage();
    assertTrue(m.startsWith("input.axes: at most one rx axis, got [link, rx, rx, subcarrier]"), m);
    m = assertThrows(SettingsException.class, () -> settings(fixture("deepmimo.npy"),
        "input.axes=[link, rx, tx, antenna]")).getMessage();
    assertTrue(m.startsWith("input.axes: 'antenna' is not allowed") && m.contains("path"), m);
    m = assertThrows(SettingsException.class, () -> settings(fixture("deepmimo.npy"),
        "input.axes=[link, rx, tx, path]")).getMessage();
    assertTrue(m.startsWith("input.delays:"), m);
    m = assertThrows(SettingsException.class, () -> settings(fixture("sionna_cir.h5"), "input.preset=sionna-cir"))
        .getMessage();
    assertTrue(m.startsWith("input.subcarriers:"), m);
    m = assertThrows(SettingsException.class, () -> settings(fixture("deepmimo.npy"))).getMessage();
    assertTrue(m.startsWith("input.axes: name every axis") && m.contains("sionna-ofdm"), m);
    m = assertThrows(SettingsException.class, () -> settings(fixture("deepmimo.npy"), "input.preset=deepmimo2"))
        .getMessage();
    assertTrue(m.startsWith("input.preset: 'deepmimo2' is not allowed") && m.contains("deepmimo-matlab"), m);
  }

  @Test
  void nonFiniteEntriesBecomeNonFiniteRows() throws IOException {
    // [links 3, rx 2, tx 1] complex128 with a NaN in link 1.
    double[] values = {1, 0, 0.5, 0.1, Double.NaN, 0, 1, 1, 2, 0, 0, -1};
    Path file = dir.resolve("nan.npy");
    NpyFiles.write(file, new long[] {3, 2, 1}, values);
    Settings s = settings("input.path=\"" + file + "\"", "input.axes=[link, rx, tx]");
    assertEquals(3, Jobs.ingest(spark, s).matrices());
    AnalyzeJob.Result r = Jobs.analyze(spark, s);
    assertEquals(Map.of("ok", 2L, "non-finite", 1L), r.statusCounts());
  }

  @Test
  void aDirectoryOfFilesKeepsEachShapeAndNumbersLinksAcross() throws IOException {
    Path in = dir.resolve("campaign");
    Files.createDirectories(in);
    Files.copy(new File(DIR, "deepmimo.npy").toPath(), in.resolve("a.npy"));
    Files.copy(new File(DIR, "deepmimo_bigendian.npy").toPath(), in.resolve("b.npy"));
    Files.writeString(in.resolve("_SUCCESS"), "");
    Settings s = settings("input.path=\"" + in + "\"", "input.preset=deepmimo");
    IngestJob.Result r = Jobs.ingest(spark, s);
    assertEquals(15 + 4, r.matrices());
    assertEquals(2, r.files());
    Map<String, List<Integer>> shapes = new HashMap<>();
    for (Row c : spark.read().parquet(s.output().paths().channels()).collectAsList()) {
      String source = c.getAs("source");
      int link = c.getAs("link");
      shapes.put(source.substring(source.lastIndexOf('/') + 1) + " " + c.getAs("rows") + "x" + c.getAs("cols"),
          List.of());
      assertTrue(source.endsWith("a.npy") ? link < 3 : link >= 3 && link < 5, source + " link " + link);
    }
    assertEquals(java.util.Set.of("a.npy 2x4", "b.npy 2x3"), shapes.keySet());
    assertEquals(Map.of("ok", 19L), Jobs.analyze(spark, s).statusCounts());
  }
}

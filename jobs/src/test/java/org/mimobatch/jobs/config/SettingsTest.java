package org.mimobatch.jobs.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mimobatch.jobs.io.ParquetCodec;
import org.junit.jupiter.api.io.TempDir;
import org.mimobatch.pipeline.batch.Precision;
import org.mimobatch.pipeline.channel.ChannelModel;
import org.mimobatch.pipeline.channel.DelayProfile;

class SettingsTest {

  private static Settings set(String... overrides) {
    return Settings.load(null, List.of(overrides), null);
  }

  private static String error(String... overrides) {
    return assertThrows(SettingsException.class, () -> set(overrides)).getMessage();
  }

  @Test
  void defaultsDescribeTheDefaultScenario() {
    Settings s = Settings.defaults();
    assertEquals(ChannelModel.TDL, s.channels().spec().model());
    assertEquals(8, s.channels().spec().rx());
    assertEquals(8, s.channels().spec().tx());
    assertEquals(102_400, s.channels().spec().matrices());
    assertEquals(Precision.DOUBLE, s.channels().spec().precision());
    assertEquals(DelayProfile.Kind.TDL_A, s.channels().spec().tdl().profile());
    assertArrayEquals(new double[] {0, 10, 20}, s.analysis().spec().snrDb());
    assertEquals("out", s.output().dir());
    assertEquals(ParquetCodec.SNAPPY, s.output().compression());
    assertTrue(s.output().report());
    assertEquals("cpu", s.analysis().backend());
    assertEquals(List.of(), s.summary().groupBy());
    assertArrayEquals(new double[] {0.01, 0.1, 0.5}, s.summary().capacityQuantiles());
  }

  @Test
  void overridesAreHoconAndLaterOnesWin() {
    Settings s = set("channel.rx=4", "analysis.snr-db=[-5, 0, 5, 15]", "channel.rx=2", "summary.group-by=[subcarrier]",
        "analysis.outage=[0.05]", "channel.model=kronecker", "channel.correlation.rx=0.5");
    assertEquals(2, s.channels().spec().rx());
    assertArrayEquals(new double[] {-5, 0, 5, 15}, s.analysis().spec().snrDb());
    assertEquals(List.of("subcarrier"), s.summary().groupBy());
    assertArrayEquals(new double[] {0.01, 0.05, 0.1, 0.5}, s.summary().capacityQuantiles());
    assertEquals(0.5, s.channels().spec().correlationRx());
  }

  @Test
  void aFileSitsBetweenTheDefaultsAndTheOverrides(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("site.conf");
    Files.writeString(file, "channel { rx = 2, tx = 4 }\nanalysis.chunk-size = 64\nspark.sql.shuffle.partitions = 3\n");
    Settings s = Settings.load(file.toFile(), List.of("channel.tx=3"), "/data/run1");
    assertEquals(2, s.channels().spec().rx());
    assertEquals(3, s.channels().spec().tx());
    assertEquals(64, s.analysis().chunkSize());
    assertEquals("/data/run1", s.output().dir());
    assertEquals("3", s.sparkConf().get("spark.sql.shuffle.partitions"));
  }

  @Test
  void unknownKeysAreNamedWithASuggestion(@TempDir Path dir) throws IOException {
    String m = error("channel.rxx=4");
    assertTrue(m.contains("'channel.rxx'") && m.contains("did you mean 'channel.rx'"), m);
    Path file = dir.resolve("bad.conf");
    Files.writeString(file, "analysis { snr = [1] }");
    m = assertThrows(SettingsException.class, () -> Settings.load(file.toFile(), List.of(), null)).getMessage();
    assertTrue(m.contains("'analysis.snr'") && m.contains(file.toString()), m);
  }

  @Test
  void badValuesNameTheKeyAndWhatIsAllowed() {
    String m = error("channel.rx=0");
    assertTrue(m.startsWith("channel.rx:") && m.contains("from 1 to 256"), m);
    m = error("channel.model=ricean");
    assertTrue(m.startsWith("channel.model:") && m.contains("rayleigh, kronecker, tdl"), m);
    m = error("channel.precision=quad");
    assertTrue(m.startsWith("channel.precision:") && m.contains("double, single"), m);
    m = error("analysis.snr-db=[]");
    assertTrue(m.startsWith("analysis.snr-db:"), m);
    m = error("analysis.snr-db=[20, 10]");
    assertTrue(m.startsWith("analysis.snr-db:") && m.contains("increase"), m);
    m = error("analysis.snr-db=loud");
    assertTrue(m.startsWith("analysis.snr-db:") && m.contains("list") && m.contains("--set analysis.snr-db=loud"), m);
    m = error("channel.rx=four");
    assertTrue(m.startsWith("channel.rx:") && m.contains("number") && m.contains("--set channel.rx=four"), m);
    m = error("channel.model=rayleigh", "channel.correlation.tx=0.3");
    assertTrue(m.startsWith("channel.correlation.tx:") && m.contains("rayleigh"), m);
    m = error("channel.model=kronecker", "channel.correlation.tx=1.5");
    assertTrue(m.startsWith("channel.correlation.tx:") && m.contains("from 0.0 to 1.0"), m);
    m = error("analysis.outage=[0.5, 1]");
    assertTrue(m.startsWith("analysis.outage:"), m);
    m = error("backend=gpu");
    assertTrue(m.startsWith("backend:") && m.contains("cpu"), m);
    m = error("channel.rx=256", "channel.tx=256", "channel.subcarriers=1024");
    assertTrue(m.startsWith("channel.subcarriers:") && m.contains("at most 256 subcarriers"), m);
    m = error("channel.tdl.profile=exponential", "channel.tdl.taps=4096", "channel.subcarriers=8192", "channel.rx=1",
        "channel.tx=1");
    assertTrue(m.startsWith("channel.tdl.taps:"), m);
    m = error("analysis.zf-vectors=5000");
    assertTrue(m.startsWith("analysis.zf-vectors:") && m.contains("from 0 to 1000"), m);
    m = error("output.dir=\"  \"");
    assertTrue(m.startsWith("output.dir:"), m);
    m = error("channel.tdl.profile=tdl-z");
    assertTrue(m.startsWith("channel.tdl.profile:") && m.contains("tdl-a, exponential"), m);
    m = error("output.compression=gzip");
    assertTrue(m.startsWith("output.compression:") && m.contains("snappy, zstd, uncompressed"), m);
    m = error("output.report=sometimes");
    assertTrue(m.startsWith("output.report:"), m);
  }

  @Test
  void malformedOverridesAndMissingFilesAreReported() {
    assertTrue(error("channel.rx").contains("key=value"));
    assertTrue(error("channel.rx=[1,").contains("--set channel.rx=[1,"));
    String m = assertThrows(SettingsException.class, () -> Settings.load(new File("/no/such.conf"), List.of(), null))
        .getMessage();
    assertTrue(m.contains("/no/such.conf"), m);
  }

  @Test
  void refinementsAreReadWithTheirParameters() {
    Settings s = set("refine.methods=[newton-schulz, gd-inverse]", "refine.gd-inverse.lr=0.9",
        "refine.gd-inverse.momentum=0.9", "refine.gd-inverse.init=random", "refine.mixed-precision.mode=svd",
        "refine.history-sample=5");
    var refine = s.analysis().spec().refine();
    assertEquals(List.of(org.mimobatch.pipeline.refine.RefineMethod.NEWTON_SCHULZ,
        org.mimobatch.pipeline.refine.RefineMethod.GD_INVERSE), refine.methods());
    assertEquals(org.mimobatch.pipeline.refine.GdInverse.Step.FIXED, refine.gdInverse().step());
    assertEquals(0.9, refine.gdInverse().lr());
    assertEquals(org.mimobatch.pipeline.refine.GdInverse.Init.RANDOM, refine.gdInverse().init());
    assertEquals(org.mimobatch.pipeline.refine.MixedPrecision.Mode.SVD, refine.mixedPrecision().mode());
    assertEquals(5, refine.historySample());
    var text = set("refine.gd-inverse.lr=text").analysis().spec().refine().gdInverse();
    assertEquals(org.mimobatch.pipeline.refine.GdInverse.Step.FIXED, text.step());
    assertEquals(0.9, text.lr(), "the text's settings are one setting away");
    assertEquals(0.9, text.momentum());
    assertEquals(org.mimobatch.pipeline.refine.GdInverse.Step.OPTIMAL,
        Settings.defaults().analysis().spec().refine().gdInverse().step(), "the default converges");
    assertTrue(Settings.defaults().analysis().spec().refine().isEmpty());

    String m = error("refine.methods=[gauss-newton]");
    assertTrue(m.startsWith("refine.methods:") && m.contains("newton-schulz"), m);
    m = error("refine.methods=[newton-schulz, newton-schulz]");
    assertTrue(m.contains("twice"), m);
    m = error("refine.gd-inverse.lr=fast");
    assertTrue(m.startsWith("refine.gd-inverse.lr:") && m.contains("optimal, auto, text"), m);
    m = error("refine.gd-inverse.lr=optimal", "refine.gd-inverse.momentum=0.5");
    assertTrue(m.startsWith("refine.gd-inverse.momentum:"), m);
    m = error("refine.adam-match.optimizer=lbfgs");
    assertTrue(m.startsWith("refine.adam-match.optimizer:") && m.contains("adam, sgd"), m);
    m = error("refine.mixed-precision.tolerance=tiny");
    assertTrue(m.startsWith("refine.mixed-precision.tolerance:"), m);
    m = error("refine.newton-schulz.max-iterations=0");
    assertTrue(m.startsWith("refine.newton-schulz.max-iterations:"), m);
  }

  @Test
  void quotedSparkKeysReachSparkUnquoted() {
    Settings s = set("spark.speculation=true", "spark.\"speculation.multiplier\"=3");
    assertEquals("true", s.sparkConf().get("spark.speculation"));
    assertEquals("3", s.sparkConf().get("spark.speculation.multiplier"));
  }

  @Test
  void mimobatchKeysFromSparkConfSitBelowTheFileAndSet(@TempDir Path dir) throws IOException {
    Map<String, String> conf = Map.of("spark.mimobatch.channel.rx", "2", "spark.mimobatch.channel.tx", "3",
        "spark.mimobatch.analysis.snr-db", "[5, 15]", "spark.executor.memory", "2g");
    Settings fromConf = Settings.load(conf, null, List.of(), null, null);
    assertEquals(2, fromConf.channels().spec().rx());
    assertArrayEquals(new double[] {5, 15}, fromConf.analysis().spec().snrDb(), "values read as --set reads them");
    File file = dir.resolve("c.conf").toFile();
    Files.writeString(file.toPath(), "channel.rx = 4\n");
    Settings overFile = Settings.load(conf, file, List.of(), null, null);
    assertEquals(4, overFile.channels().spec().rx(), "--config over SparkConf");
    assertEquals(3, overFile.channels().spec().tx(), "SparkConf over the defaults");
    assertEquals(6, Settings.load(conf, file, List.of("channel.rx=6"), null, null).channels().spec().rx(), "--set over --config");
    String m = assertThrows(SettingsException.class,
        () -> Settings.load(Map.of("spark.mimobatch.chanel.rx", "2"), null, List.of(), null, null)).getMessage();
    assertTrue(m.contains("unknown key 'chanel.rx'") && m.contains("SparkConf spark.mimobatch.chanel.rx")
        && m.contains("channel.rx"), m);
  }

  @Test
  void sparkSubmitSettingsWinOverDefaultsButNotOverTheUsers() {
    Settings s = set("spark.sql.shuffle.partitions=3");
    String fileSystem = "spark.hadoop.fs.file.impl";
    assertTrue(s.sparkConf().containsKey(fileSystem), "reference.conf's default");
    Map<String, String> none = s.sparkSettingsOver(Map.of());
    assertEquals(s.sparkConf(), none, "nothing given by spark-submit: every setting applies");
    Map<String, String> submitted = Map.of(fileSystem, "org.example.Fs", "spark.sql.shuffle.partitions", "7",
        "spark.executor.cores", "4");
    Map<String, String> applied = s.sparkSettingsOver(submitted);
    assertFalse(applied.containsKey(fileSystem), "--conf wins over a default: " + applied);
    assertEquals("3", applied.get("spark.sql.shuffle.partitions"), "--set wins over --conf");
    assertFalse(applied.containsKey("spark.executor.cores"), "what only spark-submit set is left to it");
  }

  @Test
  void wrongTypesForObjectsAreReported() {
    String m = error("channel.correlation=0.5");
    assertTrue(m.contains("channel.correlation"), m);
  }

  @Test
  void theExampleConfigurationsAreValid() {
    File[] examples = new File("../conf").listFiles((d, name) -> name.endsWith(".conf"));
    assertTrue(examples != null && examples.length >= 2, "conf/ holds the examples");
    for (File example : examples) {
      Settings s = Settings.load(example, List.of(), null);
      assertTrue(s.channels().spec().matrices() > 0, example.getName());
    }
  }
}

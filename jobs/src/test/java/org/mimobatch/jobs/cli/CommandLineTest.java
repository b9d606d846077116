package org.mimobatch.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {
  @Test
  void parsesEveryOption() {
    CommandLine c = CommandLine.parse(new String[] {"run", "--config", "conf/local.conf", "--set", "channel.rx=4",
        "--set", "analysis.snr-db=[0,10]", "--out", "/tmp/x", "--master", "local[2]", "--run-id", "2026-11-23"});
    assertEquals(CommandLine.Command.RUN, c.command());
    assertEquals("conf/local.conf", c.config().getPath());
    assertEquals(List.of("channel.rx=4", "analysis.snr-db=[0,10]"), c.overrides());
    assertEquals("/tmp/x", c.out());
    assertEquals("local[2]", c.master());
    assertEquals("2026-11-23", c.runId());
  }

  @Test
  void showTakesAPathAndARowCount() {
    CommandLine c = CommandLine.parse(new String[] {"show", "out/summary", "--rows", "5"});
    assertEquals(CommandLine.Command.SHOW, c.command());
    assertEquals("out/summary", c.path());
    assertEquals(5, c.rows());
    assertNull(c.config());
  }

  @Test
  void mistakesAreExplained() {
    assertTrue(assertThrows(UsageException.class, () -> CommandLine.parse(new String[] {})).getMessage()
        .contains("no command"));
    assertTrue(assertThrows(UsageException.class, () -> CommandLine.parse(new String[] {"launch"})).getMessage()
        .contains("'launch'"));
    assertTrue(assertThrows(UsageException.class, () -> CommandLine.parse(new String[] {"run", "--set"})).getMessage()
        .contains("--set needs a value"));
    assertTrue(assertThrows(UsageException.class, () -> CommandLine.parse(new String[] {"run", "--fast"})).getMessage()
        .contains("--fast"));
    assertTrue(assertThrows(UsageException.class, () -> CommandLine.parse(new String[] {"show"})).getMessage()
        .contains("path"));
    assertTrue(assertThrows(UsageException.class, () -> CommandLine.parse(new String[] {"show", "a", "--rows", "0"}))
        .getMessage().contains("positive"));
    assertTrue(assertThrows(UsageException.class, () -> CommandLine.parse(new String[] {"run", "extra"})).getMessage()
        .contains("'extra'"));
  }

  @Test
  void helpNeedsNoCommand() {
    assertTrue(CommandLine.parse(new String[] {"--help"}).help());
  }
}

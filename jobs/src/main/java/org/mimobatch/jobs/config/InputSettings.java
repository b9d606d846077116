package org.mimobatch.jobs.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mimobatch.jobs.ingest.Axis;
import org.mimobatch.jobs.ingest.Format;
import org.mimobatch.jobs.ingest.Frequencies;
import org.mimobatch.jobs.ingest.IngestSpec;
import org.mimobatch.jobs.ingest.Preset;
import org.mimobatch.pipeline.ConfigName;

/**
 * Reads the {@code input} section into an {@link IngestSpec}: a preset supplies the variable, axes,
 * delays and frequency convention of its tool, and every key set explicitly wins over it. Errors
 * name the key.
 */
final class InputSettings {
  private InputSettings() {}

  static IngestSpec read(ConfigReader c) {
    String path = c.path("input.path", true);
    Format format = c.choice("input.format", Format.class);
    String presetName = c.string("input.preset").trim();
    Preset preset = null;
    if (!presetName.isEmpty()) {
      preset = c.choice("input.preset", Preset.class);
    }
    String variable = c.string("input.variable").trim();
    List<String> alternatives = List.of();
    if (variable.isEmpty() && preset != null) {
      variable = preset.variable();
      alternatives = preset.alternatives();
    }
    List<Axis> axes = c.choices("input.axes", Axis.class, false);
    boolean axesGiven = !axes.isEmpty();
    Axis trailing = null;
    if (!axesGiven && preset != null) {
      axes = preset.axes();
      trailing = preset.optionalTrailing();
    }
    String delays = c.string("input.delays").trim();
    if (delays.isEmpty() && preset != null && preset.delays() != null) {
      delays = preset.delays();
    }
    List<Integer> delayAxes = positions(c, "input.delay-axes");
    if (delayAxes.isEmpty() && preset != null && preset.delayAxes() != null && !axesGiven) {
      delayAxes = preset.delayAxes();
    }
    String convention = c.string("input.frequencies").trim();
    Frequencies frequencies = convention.isEmpty()
        ? (preset != null && preset.frequencies() != null ? preset.frequencies() : Frequencies.CENTRED)
        : c.choice("input.frequencies", Frequencies.class);
    int subcarriers = c.intBetween("input.subcarriers", 0, 1 << 20);
    double spacing = c.positive("input.subcarrier-spacing-khz") * 1e3;
    List<Long> shape = new ArrayList<>();
    for (Double d : c.doubleList("input.shape")) {
      if (d != Math.rint(d) || d < -1 || d > Long.MAX_VALUE / 2) {
        throw new SettingsException("input.shape: " + d + " is not a dimension (an integer from 0, or −1 once)");
      }
      shape.add(d.longValue());
    }
    if (shape.stream().filter(d -> d == -1).count() > 1) {
      throw new SettingsException("input.shape: at most one −1, got " + shape);
    }
    List<Axis> elements = c.choices("input.elements", Axis.class, false);
    if (elements.isEmpty() && preset != null) {
      elements = preset.elements();
    }
    for (Axis e : elements) {
      if (e != Axis.LINK && e != Axis.SLOT) {
        throw new SettingsException("input.elements: " + e.configName() + " is not allowed; allowed: link, slot");
      }
    }
    if (elements.stream().filter(e -> e == Axis.SLOT).count() > 1) {
      throw new SettingsException("input.elements: at most one slot, got " + names(elements));
    }
    IngestSpec spec = new IngestSpec(path, format, preset, variable, axes, trailing, delays, delayAxes, subcarriers,
        spacing, frequencies, alternatives, shape, elements);
    if (spec.enabled() && format != Format.PARQUET) {
      check(spec);
    }
    return spec;
  }

  private static void check(IngestSpec s) {
    if (s.axes().isEmpty()) {
      throw new SettingsException("input.axes: name every axis of the stored array in order ("
          + ConfigName.allowed(Axis.class) + "), or set input.preset (" + ConfigName.allowed(Preset.class) + ")");
    }
    Map<Axis, Integer> count = new HashMap<>();
    for (Axis a : s.axes()) {
      count.merge(a, 1, Integer::sum);
    }
    // A missing antenna axis means one antenna (MISO, SIMO, SISO arrays).
    for (Axis a : new Axis[] {Axis.RX, Axis.TX, Axis.REIM}) {
      if (count.getOrDefault(a, 0) > 1) {
        throw new SettingsException("input.axes: at most one " + a.configName() + " axis, got " + names(s.axes()));
      }
    }
    if (s.elements().contains(Axis.SLOT) && count.containsKey(Axis.SLOT)) {
      throw new SettingsException("input.elements: slot makes the elements of a {:} slots, so the arrays cannot have"
          + " a slot axis too, got " + names(s.axes()));
    }
    for (Axis a : new Axis[] {Axis.SLOT, Axis.SUBCARRIER, Axis.PATH}) {
      if (count.getOrDefault(a, 0) > 1) {
        throw new SettingsException("input.axes: at most one " + a.configName() + " axis, got " + names(s.axes())
            + "; let link take several");
      }
    }
    if (!s.pathLevel()) {
      return;
    }
    if (count.containsKey(Axis.SUBCARRIER)) {
      throw new SettingsException("input.axes: a path-level array (with a path axis) has no subcarrier axis; its"
          + " subcarriers come from input.subcarriers, got " + names(s.axes()));
    }
    if (s.delays().isEmpty()) {
      throw new SettingsException("input.delays: a path axis needs the variable of the path delays (seconds)");
    }
    long wild = s.variable().split("\\{:}", -1).length - 1;
    long delayWild = s.delays().split("\\{:}", -1).length - 1;
    if (delayWild != 0 && delayWild != wild) {
      throw new SettingsException("input.delays: " + s.delays() + " has " + delayWild + " {:}, input.variable "
          + s.variable() + " has " + wild + "; the delays take the same elements, or none (shared by all)");
    }
    if (s.subcarriers() < 1) {
      throw new SettingsException("input.subcarriers: a path axis needs the number of subcarriers of the frequency"
          + " response to compute, e.g. 64");
    }
    int pathAxis = s.axes().indexOf(Axis.PATH);
    if (!s.delayAxes().contains(pathAxis)) {
      throw new SettingsException("input.delay-axes: for each axis of the delays, the position in input.axes it runs"
          + " along; the path axis (position " + pathAxis + ") must be one, got " + s.delayAxes());
    }
    for (int i : s.delayAxes()) {
      if (i < 0 || i >= s.axes().size()) {
        throw new SettingsException("input.delay-axes: position " + i + " is not an axis of input.axes "
            + names(s.axes()));
      }
    }
  }

  private static List<Integer> positions(ConfigReader c, String key) {
    List<Integer> out = new ArrayList<>();
    for (Double d : c.doubleList(key)) {
      if (d != Math.rint(d) || d < 0) {
        throw new SettingsException(key + ": " + d + " is not an axis position (0, 1, …)");
      }
      out.add(d.intValue());
    }
    return out;
  }

  private static String names(List<Axis> axes) {
    List<String> n = new ArrayList<>();
    for (Axis a : axes) {
      n.add(a.configName());
    }
    return n.toString();
  }
}

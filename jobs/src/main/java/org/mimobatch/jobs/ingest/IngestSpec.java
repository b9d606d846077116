package org.mimobatch.jobs.ingest;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What to ingest, from the {@code input} settings with a preset's defaults filled in.
 *
 * @param path a file, directory or glob of any Hadoop file system; empty: no input (draw channels)
 * @param format the files' format, or AUTO to tell it from each file's first bytes
 * @param preset the layout named after the tool that writes it, or null
 * @param variable the dataset, variable or entry holding the channels (a MATLAB path for MAT files)
 * @param axes one role per array axis, in the order the tool documents them
 * @param optionalTrailing a role the array may add as a last axis, or null
 * @param delays the variable of path delays in seconds, for arrays with a path axis; empty otherwise
 * @param delayAxes for each axis of the delays, the position in {@code axes} it runs along
 * @param subcarriers subcarriers of the frequency response of path-level channels
 * @param spacingHz their spacing
 * @param frequencies where they lie relative to the carrier
 * @param alternatives other names of the variable, tried in order when it is not there (a preset's)
 * @param shape the shape to read the stored array as (its storage order kept; one entry may be −1),
 *     or empty
 * @param elements what the elements each {:} selects become, in the order of the {:}s: LINK or
 *     SLOT; a {:} past the end of the list makes links
 */
public record IngestSpec(String path, Format format, Preset preset, String variable, List<Axis> axes,
    Axis optionalTrailing, String delays, List<Integer> delayAxes, int subcarriers, double spacingHz,
    Frequencies frequencies, List<String> alternatives, List<Long> shape, List<Axis> elements) implements Serializable {

  public IngestSpec {
    axes = List.copyOf(axes);
    delayAxes = List.copyOf(delayAxes);
    alternatives = List.copyOf(alternatives);
    shape = List.copyOf(shape);
    elements = List.copyOf(elements);
  }

  /** What the elements of the {@code i}-th {:} (from 0) become. */
  Axis element(int i) {
    return i < elements.size() ? elements.get(i) : Axis.LINK;
  }

  /** No input: channels are drawn by the generator. */
  public static IngestSpec none() {
    return new IngestSpec("", Format.AUTO, null, "", List.of(), null, "", List.of(), 0, 0, Frequencies.CENTRED,
        List.of(), List.of(), List.of());
  }

  /** The variable, then its alternatives: the names to look for, in order. */
  List<String> variables() {
    List<String> v = new ArrayList<>();
    v.add(variable);
    v.addAll(alternatives);
    return v;
  }

  /**
   * The dimensions {@code stored} read as {@link #shape} (a −1 filled in), or as they are when no
   * shape is given; an error naming {@code where} when the element counts differ.
   */
  long[] reshape(long[] stored, String where) {
    if (shape.isEmpty()) {
      return stored;
    }
    long total = 1;
    for (long d : stored) {
      total = Math.multiplyExact(total, d);
    }
    long known = 1;
    int free = -1;
    long[] out = new long[shape.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = shape.get(i);
      if (out[i] == -1) {
        free = i;
      } else {
        known = Math.multiplyExact(known, out[i]);
      }
    }
    if (free >= 0 && known > 0 && total % known == 0) {
      out[free] = total / known;
      known = total;
    }
    if (known != total) {
      throw new org.mimobatch.jobs.io.InputException(where + ": input.shape " + shape + " does not hold the "
          + total + " elements of its stored shape " + java.util.Arrays.toString(stored));
    }
    return out;
  }

  public boolean enabled() {
    return !path.isEmpty();
  }

  /** Do the arrays hold path coefficients, turned into frequency responses? */
  public boolean pathLevel() {
    return axes.contains(Axis.PATH);
  }

  /** The files and layout read, as the run's description lists them. */
  public java.util.Map<String, String> describe() {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    m.put("input.path", path);
    m.put("input.format", format.configName());
    if (preset != null) {
      m.put("input.preset", preset.configName());
    }
    m.put("input.variable", variable);
    m.put("input.axes", axes.stream().map(a -> a.configName()).toList().toString());
    if (!shape.isEmpty()) {
      m.put("input.shape", shape.toString());
    }
    if (!elements.isEmpty()) {
      m.put("input.elements", elements.stream().map(a -> a.configName()).toList().toString());
    }
    if (pathLevel()) {
      m.put("input.delays", delays);
      m.put("input.subcarriers", Integer.toString(subcarriers));
      m.put("input.subcarrier-spacing-khz", Double.toString(spacingHz / 1e3));
    }
    return m;
  }

  /** The roles of the delays' axes: those of the channel axes they run along. */
  List<Axis> delayRoles() {
    List<Axis> roles = new ArrayList<>();
    for (int i : delayAxes) {
      roles.add(axes.get(i));
    }
    return roles;
  }
}

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
 */
public record IngestSpec(String path, Format format, Preset preset, String variable, List<Axis> axes,
    Axis optionalTrailing, String delays, List<Integer> delayAxes, int subcarriers, double spacingHz,
    Frequencies frequencies) implements Serializable {

  public IngestSpec {
    axes = List.copyOf(axes);
    delayAxes = List.copyOf(delayAxes);
  }

  /** No input: channels are drawn by the generator. */
  public static IngestSpec none() {
    return new IngestSpec("", Format.AUTO, null, "", List.of(), null, "", List.of(), 0, 0, Frequencies.CENTRED);
  }

  public boolean enabled() {
    return !path.isEmpty();
  }

  /** Do the arrays hold path coefficients, turned into frequency responses? */
  public boolean pathLevel() {
    return axes.contains(Axis.PATH);
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

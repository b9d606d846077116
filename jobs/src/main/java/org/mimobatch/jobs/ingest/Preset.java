package org.mimobatch.jobs.ingest;

import org.mimobatch.pipeline.ConfigName;
import static org.mimobatch.jobs.ingest.Axis.LINK;
import static org.mimobatch.jobs.ingest.Axis.PATH;
import static org.mimobatch.jobs.ingest.Axis.RX;
import static org.mimobatch.jobs.ingest.Axis.SLOT;
import static org.mimobatch.jobs.ingest.Axis.SUBCARRIER;
import static org.mimobatch.jobs.ingest.Axis.TX;

import java.util.List;

/**
 * The layouts in which simulators, ray tracers and toolboxes store channels, named after them:
 * the variable (dataset, entry) they write and the axes in the order the tool documents. For
 * MATLAB arrays that is MATLAB's own size() order, whether the file is MAT v5 (column-major) or
 * v7.3 (HDF5, which shows the dimensions reversed); ingest undoes either storage.
 */
public enum Preset implements ConfigName {
  /**
   * Sionna's OFDM channel [batch, num_rx, num_rx_ant, num_tx, num_tx_ant, num_ofdm_symbols,
   * fft_size], as its OFDMChannel returns it (h_freq) or as its examples name it (h_f).
   */
  SIONNA_OFDM(List.of("h_freq", "h_f"), List.of(LINK, LINK, RX, LINK, TX, SLOT, SUBCARRIER), null, null, null, null),
  /**
   * Sionna's path coefficients a [batch, num_rx, num_rx_ant, num_tx, num_tx_ant, num_paths,
   * num_time_steps] with delays tau [batch, num_rx, num_tx, num_paths] in seconds.
   */
  SIONNA_CIR("a", List.of(LINK, LINK, RX, LINK, TX, PATH, SLOT), null, "tau", List.of(0, 1, 3, 5),
      Frequencies.CENTRED),
  /**
   * Sionna RT (1.0 and later): Paths.cir() without a batch axis, a [num_rx, num_rx_ant, num_tx,
   * num_tx_ant, num_paths, num_time_steps] with tau [num_rx, num_tx, num_paths].
   */
  SIONNA_RT("a", List.of(LINK, RX, LINK, TX, PATH, SLOT), null, "tau", List.of(0, 2, 4), Frequencies.CENTRED),
  /** DeepMIMO's channels [users, ue_ant, bs_ant, subcarriers], optionally [.., time]. */
  DEEPMIMO("channel", List.of(LINK, RX, TX, SUBCARRIER), SLOT, null, null, null),
  /** DeepMIMO's MATLAB generator: a cell array of structs, each user's channel M_UE × M_BS × subcarriers. */
  DEEPMIMO_MATLAB("DeepMIMO_dataset{1}.user{:}.channel", List.of(RX, TX, SUBCARRIER), null, null,
      null, null),
  /** QuaDRiGa's frequency response fr [rx_ant, tx_ant, carrier, snapshot]. */
  QUADRIGA_FR("fr", List.of(RX, TX, SUBCARRIER, SLOT), null, null, null, null),
  /** QuaDRiGa's path coefficients coeff [rx_ant, tx_ant, path, snapshot] with delay of the same size (or [1, 1, path, snapshot]). */
  QUADRIGA_COEFF("coeff", List.of(RX, TX, PATH, SLOT), null, "delay", List.of(0, 1, 2, 3),
      Frequencies.FROM_ZERO),
  /**
   * quadriga-lib's HDF5 files: a group per channel (channel_1, channel_2, …: links), in it a group
   * per snapshot (Snap_0, …: slots; none where a channel has one snapshot), each with the path
   * coefficients as coeff_re and coeff_im and their delays, cubes in column-major order that HDF5
   * shows as [path, tx, rx].
   */
  QUADRIGA_LIB(List.of("channel_{:}/Snap_{:}/coeff"), List.of(PATH, TX, RX), null, "channel_{:}/Snap_{:}/delay",
      List.of(0, 1, 2), Frequencies.FROM_ZERO, List.of(LINK, SLOT)),
  /** The 5G Toolbox's nrPerfectChannelEstimate: K × L × Nr × Nt (subcarriers, OFDM symbols, rx, tx). */
  MATLAB_5G("H", List.of(SUBCARRIER, SLOT, RX, TX), null, null, null, null),
  /** The 5G Toolbox's nrCDLChannel path gains Ncs × Np × Nt × Nr with pathDelays 1 × Np. */
  MATLAB_CDL("pathGains", List.of(SLOT, PATH, TX, RX), null, "pathDelays", List.of(0, 1),
      Frequencies.CENTRED);

  private final List<String> variables;
  private final List<Axis> axes;
  private final Axis optionalTrailing;
  private final String delays;
  private final List<Integer> delayAxes;
  private final Frequencies frequencies;
  private final List<Axis> elements;

  Preset(String variable, List<Axis> axes, Axis optionalTrailing, String delays, List<Integer> delayAxes,
      Frequencies frequencies) {
    this(List.of(variable), axes, optionalTrailing, delays, delayAxes, frequencies, List.of());
  }

  Preset(List<String> variables, List<Axis> axes, Axis optionalTrailing, String delays, List<Integer> delayAxes,
      Frequencies frequencies) {
    this(variables, axes, optionalTrailing, delays, delayAxes, frequencies, List.of());
  }

  Preset(List<String> variables, List<Axis> axes, Axis optionalTrailing, String delays, List<Integer> delayAxes,
      Frequencies frequencies, List<Axis> elements) {
    this.variables = variables;
    this.elements = elements;
    this.axes = axes;
    this.optionalTrailing = optionalTrailing;
    this.delays = delays;
    this.delayAxes = delayAxes;
    this.frequencies = frequencies;
  }

  /** The variable, dataset or entry the tool writes (a path through cells and fields for MAT files). */
  public String variable() {
    return variables.get(0);
  }

  /** Other names the tool gives it, tried in order when {@link #variable()} is not there. */
  public List<String> alternatives() {
    return variables.subList(1, variables.size());
  }

  /** What the elements each {:} of the variable selects become, in order: LINK or SLOT. */
  public List<Axis> elements() {
    return elements;
  }

  /** The axes in the tool's documented order. */
  public List<Axis> axes() {
    return axes;
  }

  /** An axis the tool may append (DeepMIMO's time), or null. */
  public Axis optionalTrailing() {
    return optionalTrailing;
  }

  /** The delays of a path-level layout, or null. */
  public String delays() {
    return delays;
  }

  /** For each axis of the delays, the position in {@link #axes()} it runs along; null without delays. */
  public List<Integer> delayAxes() {
    return delayAxes;
  }

  /** The tool's subcarrier convention for path-level layouts, or null. */
  public Frequencies frequencies() {
    return frequencies;
  }
}

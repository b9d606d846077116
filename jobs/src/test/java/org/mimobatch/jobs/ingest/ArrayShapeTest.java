package org.mimobatch.jobs.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mimobatch.jobs.ingest.Axis.LINK;
import static org.mimobatch.jobs.ingest.Axis.PATH;
import static org.mimobatch.jobs.ingest.Axis.RX;
import static org.mimobatch.jobs.ingest.Axis.SLOT;
import static org.mimobatch.jobs.ingest.Axis.SUBCARRIER;
import static org.mimobatch.jobs.ingest.Axis.TX;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Storage strides, the split axis, and where a slab puts each element, in both storage orders. */
class ArrayShapeTest {
  @Test
  void rowMajorAndColumnMajorStrides() {
    ArrayShape c = new ArrayShape(new long[] {3, 2, 4}, List.of(LINK, RX, TX), false);
    assertEquals(8, c.stride(0));
    assertEquals(4, c.stride(1));
    assertEquals(1, c.stride(2));
    ArrayShape f = new ArrayShape(new long[] {3, 2, 4}, List.of(LINK, RX, TX), true);
    assertEquals(1, f.stride(0));
    assertEquals(3, f.stride(1));
    assertEquals(6, f.stride(2));
  }

  @Test
  void splitsAlongTheSlowestKeyAxisThatFits() {
    // Sionna's h_f: batch first.
    ArrayShape sionna = new ArrayShape(new long[] {2, 1, 4, 3, 2, 3, 5},
        List.of(LINK, LINK, RX, LINK, TX, SLOT, SUBCARRIER), false);
    assertEquals(0, sionna.splitAxis(1 << 20));
    // Only one index per read fits: the subcarriers (5), whose slab of 144 elements fits 200.
    assertEquals(6, sionna.splitAxis(200));
    // MATLAB's K×L×Nr×Nt, column-major: tx and rx are stored slowest, so the split is along L (slot).
    ArrayShape nr = new ArrayShape(new long[] {6, 2, 4, 2}, List.of(SUBCARRIER, SLOT, RX, TX), true);
    assertEquals(1, nr.splitAxis(1 << 20));
    // Antenna and path axes are never split; an array of one matrix is read whole.
    ArrayShape one = new ArrayShape(new long[] {4, 2, 3}, List.of(RX, TX, PATH), false);
    assertEquals(-1, one.splitAxis(1 << 20));
  }

  @Test
  void aSlabPlacesEachElementWhereTheReaderPutIt() {
    ArrayShape nr = new ArrayShape(new long[] {6, 2, 4, 2}, List.of(SUBCARRIER, SLOT, RX, TX), true);
    // The slab of slot 1 (of 2): storage is tx, rx, slot, subcarrier from slowest; runs of 6 elements.
    Slab slab = new Slab(nr, 1, 1, 1);
    assertEquals(48, slab.elements(nr));
    assertEquals(0, slab.position(new long[] {0, 1, 0, 0}));
    assertEquals(5, slab.position(new long[] {5, 1, 0, 0}));
    assertEquals(6, slab.position(new long[] {0, 1, 1, 0}));
    assertEquals(24, slab.position(new long[] {0, 1, 0, 1}));
  }
}

package org.mimobatch.pipeline.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.mimobatch.pipeline.batch.MatrixStatus;
import org.mimobatch.pipeline.batch.RealBatch;

/** Agreement of two backends' spectra on the same batch, for the cross-backend tests. */
final class SpectrumAssertions {
  private SpectrumAssertions() {}

  /**
   * Every matrix OK in both, and every value of {@code actual} within {@code tol} times the
   * matrix's largest value of {@code expected} (the small values carry the spectrum's absolute
   * error, so a per-value relative bound would ask more than backward stability gives).
   */
  static void assertAgree(RealBatch expected, byte[] expectedStatus, RealBatch actual, byte[] actualStatus, double tol,
      String what) {
    for (int k = 0; k < expected.count(); k++) {
      assertEquals(MatrixStatus.OK.code(), expectedStatus[k], what + ": status of matrix " + k);
    }
    assertAgreeWhereOk(expected, expectedStatus, actual, actualStatus, tol, what);
  }

  /**
   * The same status for every matrix, and the values of the OK ones within {@code tol} times the
   * matrix's largest value of {@code expected}, as {@link #assertAgree} (for batches that mix in
   * troubled matrices).
   */
  static void assertAgreeWhereOk(RealBatch expected, byte[] expectedStatus, RealBatch actual, byte[] actualStatus,
      double tol, String what) {
    for (int k = 0; k < expected.count(); k++) {
      assertEquals(expectedStatus[k], actualStatus[k], what + ": status of matrix " + k);
      if (expectedStatus[k] != MatrixStatus.OK.code()) {
        continue;
      }
      double scale = 0;
      for (int i = 0; i < expected.length(); i++) {
        scale = Math.max(scale, Math.abs(expected.get(k, i)));
      }
      for (int i = 0; i < expected.length(); i++) {
        assertEquals(expected.get(k, i), actual.get(k, i), tol * scale, what + " " + i + " of matrix " + k);
      }
    }
  }
}

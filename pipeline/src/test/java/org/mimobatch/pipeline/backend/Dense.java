package org.mimobatch.pipeline.backend;

import java.util.SplittableRandom;
import org.mimobatch.pipeline.batch.ComplexBatch;

/**
 * A plain dense complex matrix in double precision for tests: the obvious algorithms that backends
 * are checked against. Clarity over speed.
 */
public final class Dense {
  public final int rows;
  public final int cols;
  public final double[] re;
  public final double[] im;

  public Dense(int rows, int cols) {
    this.rows = rows;
    this.cols = cols;
    this.re = new double[rows * cols];
    this.im = new double[rows * cols];
  }

  public double re(int i, int j) {
    return re[i * cols + j];
  }

  public double im(int i, int j) {
    return im[i * cols + j];
  }

  public Dense set(int i, int j, double r, double m) {
    re[i * cols + j] = r;
    im[i * cols + j] = m;
    return this;
  }

  public static Dense identity(int n) {
    Dense d = new Dense(n, n);
    for (int i = 0; i < n; i++) {
      d.set(i, i, 1, 0);
    }
    return d;
  }

  /** Entries i.i.d. CN(0, 1). */
  public static Dense gaussian(int rows, int cols, SplittableRandom rng) {
    Dense d = new Dense(rows, cols);
    double s = Math.sqrt(0.5);
    for (int x = 0; x < rows * cols; x++) {
      d.re[x] = s * rng.nextGaussian();
      d.im[x] = s * rng.nextGaussian();
    }
    return d;
  }

  /** A rows×cols matrix with diag(values) in its leading square and zeros elsewhere. */
  public static Dense diagonal(int rows, int cols, double... values) {
    Dense d = new Dense(rows, cols);
    for (int i = 0; i < values.length; i++) {
      d.set(i, i, values[i], 0);
    }
    return d;
  }

  /** A Haar-like random unitary: the Q of a Gram–Schmidt orthonormalisation of a Gaussian matrix. */
  public static Dense unitary(int n, SplittableRandom rng) {
    Dense g = gaussian(n, n, rng);
    Dense q = new Dense(n, n);
    for (int j = 0; j < n; j++) {
      double[] vr = new double[n];
      double[] vi = new double[n];
      for (int i = 0; i < n; i++) {
        vr[i] = g.re(i, j);
        vi[i] = g.im(i, j);
      }
      for (int pass = 0; pass < 2; pass++) { // twice is enough for orthogonality to working precision
        for (int p = 0; p < j; p++) {
          double dr = 0;
          double di = 0;
          for (int i = 0; i < n; i++) { // <q_p, v> = sum conj(q_ip) v_i
            dr += q.re(i, p) * vr[i] + q.im(i, p) * vi[i];
            di += q.re(i, p) * vi[i] - q.im(i, p) * vr[i];
          }
          for (int i = 0; i < n; i++) {
            vr[i] -= dr * q.re(i, p) - di * q.im(i, p);
            vi[i] -= dr * q.im(i, p) + di * q.re(i, p);
          }
        }
      }
      double norm = 0;
      for (int i = 0; i < n; i++) {
        norm += vr[i] * vr[i] + vi[i] * vi[i];
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < n; i++) {
        q.set(i, j, vr[i] / norm, vi[i] / norm);
      }
    }
    return q;
  }

  public Dense times(Dense b) {
    if (cols != b.rows) {
      throw new IllegalArgumentException(rows + "x" + cols + " times " + b.rows + "x" + b.cols);
    }
    Dense c = new Dense(rows, b.cols);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < b.cols; j++) {
        double sr = 0;
        double si = 0;
        for (int k = 0; k < cols; k++) {
          sr += re(i, k) * b.re(k, j) - im(i, k) * b.im(k, j);
          si += re(i, k) * b.im(k, j) + im(i, k) * b.re(k, j);
        }
        c.set(i, j, sr, si);
      }
    }
    return c;
  }

  /** This square matrix plus the identity, as a new matrix. */
  public Dense plusIdentity() {
    Dense d = new Dense(rows, cols);
    System.arraycopy(re, 0, d.re, 0, re.length);
    System.arraycopy(im, 0, d.im, 0, im.length);
    for (int i = 0; i < rows; i++) {
      d.re[i * cols + i] += 1;
    }
    return d;
  }

  public Dense conjugateTranspose() {
    Dense t = new Dense(cols, rows);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t.set(j, i, re(i, j), -im(i, j));
      }
    }
    return t;
  }

  public Dense transpose() {
    Dense t = new Dense(cols, rows);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t.set(j, i, re(i, j), im(i, j));
      }
    }
    return t;
  }

  public Dense minus(Dense b) {
    Dense c = new Dense(rows, cols);
    for (int x = 0; x < re.length; x++) {
      c.re[x] = re[x] - b.re[x];
      c.im[x] = im[x] - b.im[x];
    }
    return c;
  }

  public Dense scaleColumns(double[] s) {
    Dense c = new Dense(rows, cols);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        c.set(i, j, re(i, j) * s[j], im(i, j) * s[j]);
      }
    }
    return c;
  }

  public double frobenius() {
    double s = 0;
    for (int x = 0; x < re.length; x++) {
      s += re[x] * re[x] + im[x] * im[x];
    }
    return Math.sqrt(s);
  }

  /** The largest modulus of an entry. */
  public double maxAbs() {
    double m = 0;
    for (int x = 0; x < re.length; x++) {
      m = Math.max(m, Math.hypot(re[x], im[x]));
    }
    return m;
  }

  /** Writes this matrix as matrix k of a batch of the same shape. */
  public void into(ComplexBatch batch, int k) {
    batch.setRowMajor(k, re, im);
  }

  /** Matrix k of a batch. */
  public static Dense of(ComplexBatch batch, int k) {
    Dense d = new Dense(batch.rows(), batch.cols());
    batch.getRowMajor(k, d.re, d.im);
    return d;
  }

  /** This matrix times the real {@code f}. */
  public Dense scaled(double f) {
    Dense d = new Dense(rows, cols);
    for (int e = 0; e < re.length; e++) {
      d.re[e] = re[e] * f;
      d.im[e] = im[e] * f;
    }
    return d;
  }

  /** The real 2m×2n embedding [[Re, −Im], [Im, Re]]; its spectrum is this matrix's, each value twice. */
  double[][] realEmbedding() {
    double[][] e = new double[2 * rows][2 * cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        e[i][j] = re(i, j);
        e[i][j + cols] = -im(i, j);
        e[i + rows][j] = im(i, j);
        e[i + rows][j + cols] = re(i, j);
      }
    }
    return e;
  }
}

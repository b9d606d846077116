package org.mimobatch.pipeline.backend;

import java.util.Arrays;

/**
 * Reference algorithms, chosen for being obviously right rather than fast: one-sided Jacobi for
 * singular values and cyclic Jacobi for Hermitian eigenvalues (both on the real embedding of the
 * complex matrix, whose spectrum is the complex one with every value doubled), and Gaussian
 * elimination with partial pivoting for solves.
 */
public final class Reference {
  private Reference() {}

  /** Singular values of {@code a}, descending. */
  public static double[] singularValues(Dense a) {
    double[][] e = a.realEmbedding();
    int m = e.length;
    int n = e[0].length;
    if (m < n) {
      e = transpose(e);
      m = e.length;
      n = e[0].length;
    }
    for (int sweep = 0; sweep < 100; sweep++) {
      boolean rotated = false;
      for (int p = 0; p < n - 1; p++) {
        for (int q = p + 1; q < n; q++) {
          double alpha = 0;
          double beta = 0;
          double gamma = 0;
          for (int i = 0; i < m; i++) {
            alpha += e[i][p] * e[i][p];
            beta += e[i][q] * e[i][q];
            gamma += e[i][p] * e[i][q];
          }
          if (Math.abs(gamma) <= 1e-300 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) {
            continue;
          }
          rotated = true;
          double zeta = (beta - alpha) / (2 * gamma);
          double t = Math.signum(zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
          if (zeta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(1 + t * t);
          double s = c * t;
          for (int i = 0; i < m; i++) {
            double x = e[i][p];
            double y = e[i][q];
            e[i][p] = c * x - s * y;
            e[i][q] = s * x + c * y;
          }
        }
      }
      if (!rotated) {
        break;
      }
    }
    double[] norms = new double[n];
    for (int j = 0; j < n; j++) {
      double s = 0;
      for (int i = 0; i < m; i++) {
        s += e[i][j] * e[i][j];
      }
      norms[j] = Math.sqrt(s);
    }
    return everyOther(descending(norms), Math.min(a.rows, a.cols));
  }

  /** Eigenvalues of the Hermitian matrix {@code a} (lower triangle read), ascending. */
  public static double[] hermitianEigenvalues(Dense a) {
    int n = a.rows;
    Dense h = new Dense(n, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        h.set(i, j, a.re(i, j), i == j ? 0 : a.im(i, j));
        h.set(j, i, a.re(i, j), i == j ? 0 : -a.im(i, j));
      }
    }
    double[][] e = h.realEmbedding();
    int size = e.length;
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      double total = 0;
      for (int p = 0; p < size; p++) {
        for (int q = 0; q < size; q++) {
          total += e[p][q] * e[p][q];
          if (p != q) {
            off += e[p][q] * e[p][q];
          }
        }
      }
      if (off <= 1e-32 * total || off == 0) {
        break;
      }
      for (int p = 0; p < size - 1; p++) {
        for (int q = p + 1; q < size; q++) {
          if (e[p][q] == 0) {
            continue;
          }
          double theta = (e[q][q] - e[p][p]) / (2 * e[p][q]);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          for (int k = 0; k < size; k++) { // A <- A J
            double x = e[k][p];
            double y = e[k][q];
            e[k][p] = c * x - s * y;
            e[k][q] = s * x + c * y;
          }
          for (int k = 0; k < size; k++) { // A <- Jᵀ A
            double x = e[p][k];
            double y = e[q][k];
            e[p][k] = c * x - s * y;
            e[q][k] = s * x + c * y;
          }
        }
      }
    }
    double[] diag = new double[size];
    for (int i = 0; i < size; i++) {
      diag[i] = e[i][i];
    }
    Arrays.sort(diag);
    return everyOther(diag, n);
  }

  /** x with a · x = b, by Gaussian elimination with partial pivoting; null if a pivot is exactly zero. */
  public static Dense solve(Dense a, Dense b) {
    int n = a.rows;
    int r = b.cols;
    double[][] mr = new double[n][n + r];
    double[][] mi = new double[n][n + r];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        mr[i][j] = a.re(i, j);
        mi[i][j] = a.im(i, j);
      }
      for (int j = 0; j < r; j++) {
        mr[i][n + j] = b.re(i, j);
        mi[i][n + j] = b.im(i, j);
      }
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int i = col + 1; i < n; i++) {
        if (Math.hypot(mr[i][col], mi[i][col]) > Math.hypot(mr[pivot][col], mi[pivot][col])) {
          pivot = i;
        }
      }
      double[] t = mr[col];
      mr[col] = mr[pivot];
      mr[pivot] = t;
      t = mi[col];
      mi[col] = mi[pivot];
      mi[pivot] = t;
      double pr = mr[col][col];
      double pi = mi[col][col];
      double p2 = pr * pr + pi * pi;
      if (p2 == 0) {
        return null;
      }
      for (int i = col + 1; i < n; i++) {
        // factor = m[i][col] / pivot
        double fr = (mr[i][col] * pr + mi[i][col] * pi) / p2;
        double fi = (mi[i][col] * pr - mr[i][col] * pi) / p2;
        for (int j = col; j < n + r; j++) {
          mr[i][j] -= fr * mr[col][j] - fi * mi[col][j];
          mi[i][j] -= fr * mi[col][j] + fi * mr[col][j];
        }
      }
    }
    Dense x = new Dense(n, r);
    for (int j = 0; j < r; j++) {
      for (int i = n - 1; i >= 0; i--) {
        double sr = mr[i][n + j];
        double si = mi[i][n + j];
        for (int k = i + 1; k < n; k++) {
          sr -= mr[i][k] * x.re(k, j) - mi[i][k] * x.im(k, j);
          si -= mr[i][k] * x.im(k, j) + mi[i][k] * x.re(k, j);
        }
        double pr = mr[i][i];
        double pi = mi[i][i];
        double p2 = pr * pr + pi * pi;
        x.set(i, j, (sr * pr + si * pi) / p2, (si * pr - sr * pi) / p2);
      }
    }
    return x;
  }

  private static double[][] transpose(double[][] e) {
    double[][] t = new double[e[0].length][e.length];
    for (int i = 0; i < e.length; i++) {
      for (int j = 0; j < e[0].length; j++) {
        t[j][i] = e[i][j];
      }
    }
    return t;
  }

  private static double[] descending(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    for (int i = 0; i < s.length / 2; i++) {
      double t = s[i];
      s[i] = s[s.length - 1 - i];
      s[s.length - 1 - i] = t;
    }
    return s;
  }

  /** Elements 0, 2, 4, … of a sorted vector in which every value appears twice. */
  private static double[] everyOther(double[] doubled, int count) {
    double[] v = new double[count];
    for (int i = 0; i < count; i++) {
      v[i] = doubled[2 * i];
    }
    return v;
  }
}

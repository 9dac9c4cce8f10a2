package org.oddity.score.gaussian;

/** Cholesky factorisation of a symmetric positive-definite matrix, and the inverse it gives. */
final class Cholesky {

    private Cholesky() {
    }

    /**
     * The lower-triangular L with L L^T = {@code a} (row-major d x d; only the lower triangle is
     * read).
     *
     * @throws IllegalArgumentException if {@code a} is not numerically positive definite
     */
    static double[] factor(double[] a, int d) {
        double[] l = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i * d + j];
                for (int k = 0; k < j; k++) {
                    sum -= l[i * d + k] * l[j * d + k];
                }
                if (i == j) {
                    if (!(sum > 0.0) || !Double.isFinite(sum)) {
                        throw new IllegalArgumentException("covariance is not positive definite (pivot " + i + " = "
                                + sum + ")");
                    }
                    l[i * d + i] = Math.sqrt(sum);
                } else {
                    l[i * d + j] = sum / l[j * d + j];
                }
            }
        }
        return l;
    }

    /** log det(L L^T) = 2 sum log L_ii. */
    static double logDeterminant(double[] l, int d) {
        double sum = 0.0;
        for (int i = 0; i < d; i++) {
            sum += Math.log(l[i * d + i]);
        }
        return 2.0 * sum;
    }

    /** (L L^T)^-1 = L^-T L^-1, from the factor L, row-major and exactly symmetric. */
    static double[] inverse(double[] l, int d) {
        double[] m = new double[d * d];
        // Columns of M = L^-1 by forward substitution of the unit vectors.
        for (int c = 0; c < d; c++) {
            m[c * d + c] = 1.0 / l[c * d + c];
            for (int i = c + 1; i < d; i++) {
                double sum = 0.0;
                for (int k = c; k < i; k++) {
                    sum -= l[i * d + k] * m[k * d + c];
                }
                m[i * d + c] = sum / l[i * d + i];
            }
        }
        double[] p = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = 0.0;
                for (int k = i; k < d; k++) {
                    sum += m[k * d + i] * m[k * d + j];
                }
                p[i * d + j] = sum;
                p[j * d + i] = sum;
            }
        }
        return p;
    }
}

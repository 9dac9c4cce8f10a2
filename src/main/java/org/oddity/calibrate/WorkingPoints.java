package org.oddity.calibrate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The working points in force, loosest first; finds the tightest one a p-value passes. */
public final class WorkingPoints {

    private final List<WorkingPoint> points;
    private final double[] alphas;

    /** Working points in any order; names and alphas must be distinct. */
    public WorkingPoints(List<WorkingPoint> points) {
        if (points.isEmpty() || points.size() > MAX) {
            throw new IllegalArgumentException("between 1 and " + MAX + " working points are needed, not "
                    + points.size());
        }
        List<WorkingPoint> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingDouble(WorkingPoint::alpha).reversed());
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).alpha() == sorted.get(i - 1).alpha()) {
                throw new IllegalArgumentException("two working points share alpha " + sorted.get(i).alpha());
            }
        }
        if (sorted.stream().map(WorkingPoint::name).distinct().count() != sorted.size()) {
            throw new IllegalArgumentException("working point names must be distinct");
        }
        this.points = List.copyOf(sorted);
        this.alphas = sorted.stream().mapToDouble(WorkingPoint::alpha).toArray();
    }

    /** Most working points in force: each is one bit of a pass mask. */
    public static final int MAX = 16;

    /** Working points from loosest (largest alpha) to tightest. */
    public List<WorkingPoint> loosestFirst() {
        return points;
    }

    /** Number of working points. */
    public int size() {
        return alphas.length;
    }

    /** Alpha of working point {@code index} of {@link #loosestFirst()}. */
    public double alpha(int index) {
        return alphas[index];
    }

    /** The loosest working point: the flagging threshold. */
    public WorkingPoint loosest() {
        return points.get(0);
    }

    /** The tightest working point: it sets the smallest calibration set a cell may use. */
    public WorkingPoint tightest() {
        return points.get(points.size() - 1);
    }

    /** Index into {@link #loosestFirst()} of the tightest point with alpha >= p, or -1 if none. */
    public int tightestPassed(double p) {
        int passed = -1;
        for (int i = 0; i < alphas.length && p <= alphas[i]; i++) {
            passed = i;
        }
        return passed;
    }

    /**
     * Smallest calibration set each working point may use, loosest first: 1/alpha - 1, or
     * {@code floor} where that is larger (0 sets no floor).
     */
    public int[] minimumSizes(int floor) {
        int[] sizes = new int[alphas.length];
        for (int i = 0; i < alphas.length; i++) {
            sizes[i] = Math.max(floor, minimumCalibrationSize(alphas[i]));
        }
        return sizes;
    }

    /** Smallest n whose minimum p-value 1 / (n + 1) reaches {@code alpha}: n >= 1 / alpha - 1. */
    public static int minimumCalibrationSize(double alpha) {
        // Start from the closed form, then settle it with the arithmetic CalibrationSet uses, so
        // that rounding in 1/alpha can never give a set whose smallest p-value misses alpha.
        int n = (int) Math.max(0, Math.ceil(1.0 / alpha - 1.0));
        while (1.0 / (n + 1.0) > alpha) {
            n++;
        }
        while (n > 0 && 1.0 / n <= alpha) {
            n--;
        }
        return n;
    }
}

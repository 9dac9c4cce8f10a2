package org.oddity.evaluate;

import java.util.Map;
import java.util.TreeMap;

/**
 * What evaluation counts while events stream past: per finest cell and working point the events flagged by
 * their cell's conformal p-value and by one global threshold, the background p-values of every cell, and
 * the scores of the background and of each signal label.
 */
final class EvaluationTally {

    private final double[] alphas;
    private final double[] globalThresholds;
    private final long[] events;
    private final long[] background;
    private final long[][] conditionalFlagged;
    private final long[][] globalFlagged;
    private final ScoreList[] backgroundPValues;
    private final ScoreList backgroundScores = new ScoreList();
    private final Map<String, Label> labels = new TreeMap<>();
    private final Map<String, Long> rejected = new TreeMap<>();

    /** Scores and flag counts of the events of one signal (or fault) label. */
    static final class Label {
        final ScoreList scores = new ScoreList();
        final long[] conditionalFlagged;
        final long[] globalFlagged;

        Label(int workingPoints) {
            conditionalFlagged = new long[workingPoints];
            globalFlagged = new long[workingPoints];
        }
    }

    /**
     * @param cells            number of finest cells
     * @param alphas           the working points' alphas, loosest first
     * @param globalThresholds per working point, the global calibration's score threshold
     */
    EvaluationTally(int cells, double[] alphas, double[] globalThresholds) {
        this.alphas = alphas.clone();
        this.globalThresholds = globalThresholds.clone();
        this.events = new long[cells];
        this.background = new long[cells];
        this.conditionalFlagged = new long[cells][alphas.length];
        this.globalFlagged = new long[cells][alphas.length];
        this.backgroundPValues = new ScoreList[cells];
        for (int c = 0; c < cells; c++) {
            backgroundPValues[c] = new ScoreList();
        }
    }

    /**
     * One scored event of finest cell {@code cell}; {@code label} is null for background.
     *
     * @param pValues the event's p-value at each working point, loosest first (each against its
     *                own working point's calibration cell); the loosest one's is the cell's p-value
     */
    void add(int cell, String label, double score, double[] pValues) {
        events[cell]++;
        if (label == null) {
            background[cell]++;
            backgroundScores.add(score);
            backgroundPValues[cell].add(pValues[0]);
            count(conditionalFlagged[cell], globalFlagged[cell], score, pValues);
        } else {
            Label tally = labels.computeIfAbsent(label, l -> new Label(alphas.length));
            tally.scores.add(score);
            count(tally.conditionalFlagged, tally.globalFlagged, score, pValues);
        }
    }

    private void count(long[] conditional, long[] global, double score, double[] pValues) {
        for (int w = 0; w < alphas.length; w++) {
            if (pValues[w] <= alphas[w]) {
                conditional[w]++;
            }
            if (score > globalThresholds[w]) {
                global[w]++;
            }
        }
    }

    /** One event that could not be scored, by the stage that refused it. */
    void reject(String stage) {
        rejected.merge(stage, 1L, Long::sum);
    }

    long events(int cell) {
        return events[cell];
    }

    long background(int cell) {
        return background[cell];
    }

    long conditionalFlagged(int cell, int workingPoint) {
        return conditionalFlagged[cell][workingPoint];
    }

    long globalFlagged(int cell, int workingPoint) {
        return globalFlagged[cell][workingPoint];
    }

    double[] backgroundPValues(int cell) {
        return backgroundPValues[cell].toArray();
    }

    double[] backgroundScores() {
        return backgroundScores.toArray();
    }

    /** Signal and fault labels, sorted. */
    Map<String, Label> labels() {
        return labels;
    }

    /** Events not scored, by stage. */
    Map<String, Long> rejected() {
        return rejected;
    }
}

package org.oddity.score.neural;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oddity.score.neural.NetworkData.auc;
import static org.oddity.score.neural.NetworkData.scores;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.oddity.event.InvalidEventException;
import org.oddity.event.L1ObjectsExtractor;
import org.oddity.score.FeatureMatrix;
import org.oddity.score.Scorer;
import org.oddity.score.ScorerFamily;
import org.oddity.score.ScorerRegistry;
import org.oddity.score.preprocess.Preprocessing;
import org.oddity.sim.DaqSimulator;
import org.oddity.sim.DetectorSchedule;
import org.oddity.sim.FillProfile;
import org.oddity.sim.SignalInjection;
import org.oddity.sim.SignalKind;
import org.oddity.sim.SimulationPlan;

/**
 * Trained with their defaults on 20,000 simulated background events, the neural families rank
 * simulated ADC2021 signals above held-out background: the four-lepton A and the dijet
 * resonance, whose objects the background rarely has, with an AUC far from the 0.5 of chance.
 */
class SimulatedSignalTest {

    private static final double FILL_SECONDS = 3_600;
    private static final L1ObjectsExtractor EXTRACTOR = new L1ObjectsExtractor();

    private static FeatureMatrix events(SimulationPlan plan, long seed) throws InvalidEventException {
        FeatureMatrix m = new FeatureMatrix(57);
        float[] row = new float[57];
        DaqSimulator simulator = new DaqSimulator(plan, seed);
        while (simulator.hasNext()) {
            EXTRACTOR.extract(simulator.next(), row);
            m.add(row);
        }
        return m;
    }

    /** {@code n} events that all carry {@code kind}. */
    private static SimulationPlan signal(SignalKind kind, int n) {
        SimulationPlan standard = SimulationPlan.standard(n, FILL_SECONDS);
        return new SimulationPlan(n, standard.run(), standard.startNanos(), List.of(FillProfile.standard(FILL_SECONDS)),
                DetectorSchedule.standard(FILL_SECONDS), List.of(SignalInjection.of(kind, 1.0, 0, FILL_SECONDS)),
                List.of());
    }

    private static double[] preprocessedScores(Scorer scorer, Preprocessing preprocessing, FeatureMatrix data) {
        float[] row = new float[data.columns()];
        for (int r = 0; r < data.rows(); r++) {
            data.copyRow(r, row);
            preprocessing.apply(row);
            data.setRow(r, row);
        }
        return scores(scorer, data);
    }

    @ParameterizedTest
    @ValueSource(strings = {"autoencoder", "vae-latent"})
    void simulatedSignalsOutscoreBackground(String name) throws InvalidEventException {
        ScorerFamily family = ScorerRegistry.family(name).orElseThrow();
        FeatureMatrix training = events(SimulationPlan.standard(20_000, FILL_SECONDS), 1);
        Preprocessing preprocessing = Preprocessing.fit(family.defaultPreprocessing(), EXTRACTOR.featureNames(),
                training);
        Scorer scorer = family.trainer(Map.of(), 2).train(training);
        double[] background = preprocessedScores(scorer, preprocessing,
                events(SimulationPlan.standard(5_000, FILL_SECONDS), 3));
        // Measured here: autoencoder 0.84 (A_4l) and 0.99 (dijet), vae-latent 0.81 and 0.79; the dijet AUC of
        // vae-latent moves between 0.79 and 0.94 with the seed. HBOS on 200,000 events: 0.79 and 0.67.
        Map<SignalKind, Double> minimumAuc = Map.of(SignalKind.A_4L, 0.75, SignalKind.DIJET, 0.7);
        for (Map.Entry<SignalKind, Double> signal : minimumAuc.entrySet()) {
            double[] scores = preprocessedScores(scorer, preprocessing, events(signal(signal.getKey(), 2_000), 4));
            double auc = auc(background, scores);
            assertTrue(auc > signal.getValue(), name + " " + signal.getKey() + " AUC " + auc);
        }
    }
}

package org.oddity.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.avro.CollisionEvent;
import org.oddity.config.OdditySettings;
import org.oddity.config.SettingsSource;
import org.oddity.event.FeatureExtractor;
import org.oddity.event.L1ObjectsExtractor;
import org.oddity.score.FeatureMatrix;
import org.oddity.score.ScorerRegistry;
import org.oddity.score.preprocess.Preprocessing;
import org.oddity.score.preprocess.PreprocessingStep;
import org.oddity.sim.DaqSimulator;
import org.oddity.sim.SimulationPlan;
import org.oddity.train.ModelTrainer;
import org.oddity.train.Progress;

/**
 * Preprocessing declared in the manifest is what scoring applies: a bundle trained with
 * {@code log-pt,standardize} reloads with the same steps, its extractor feeds the scorer the
 * transformed vector the training saw, and a damaged declaration is refused.
 */
class PreprocessedBundleTest {

    private static final OdditySettings SETTINGS = OdditySettings.from(SettingsSource.load(null, Map.of(), Map.of()));
    private static final String SPEC = "log-pt,standardize";

    private static DaqSimulator events(int n, long seed) {
        return new DaqSimulator(SimulationPlan.standard(n, 3_600), seed);
    }

    private static ModelTrainer.Result train(Path dir, String preprocessing) throws Exception {
        return new ModelTrainer("pre", new L1ObjectsExtractor(), null, SETTINGS.calibration().cells(),
                ScorerRegistry.family("mahalanobis").orElseThrow().trainer(Map.of(), 1), preprocessing)
                .train(events(5_000, 1), events(5_000, 2), dir, Progress.NONE);
    }

    @Test
    void reloadedBundleAppliesTheDeclaredStepsBeforeScoring(@TempDir Path dir) throws Exception {
        ModelTrainer.Result result = train(dir, SPEC);
        ModelBundle bundle = BundleReader.read(dir);
        List<PreprocessingStep> steps = bundle.manifest().preprocessing();
        assertEquals(2, steps.size());
        assertEquals(19, ((PreprocessingStep.LogPt) steps.get(0)).features().size(), "met, 4 e/gamma, 4 mu, 10 jets");

        // Refit the same steps on the same training events: the reloaded extractor must produce exactly that.
        L1ObjectsExtractor raw = new L1ObjectsExtractor();
        FeatureMatrix training = new FeatureMatrix(57);
        float[] row = new float[57];
        DaqSimulator trainingEvents = events(5_000, 1);
        while (trainingEvents.hasNext()) {
            raw.extract(trainingEvents.next(), row);
            training.add(row);
        }
        Preprocessing refit = Preprocessing.fit(SPEC, raw.featureNames(), training);
        FeatureExtractor extractor = bundle.newExtractor();
        float[] expected = new float[57];
        float[] actual = new float[57];
        DaqSimulator test = events(500, 3);
        while (test.hasNext()) {
            CollisionEvent event = test.next();
            raw.extract(event, expected);
            refit.apply(expected);
            extractor.extract(event, actual);
            assertEquals(List.of(), mismatches(expected, actual));
        }
        assertNotEquals(result.manifest().version(), train(dir.resolve("plain"), "none").manifest().version(),
                "the same family on differently preprocessed features is a different model version");
        assertEquals(List.of(), BundleReader.read(dir.resolve("plain")).manifest().preprocessing());
    }

    private static List<Integer> mismatches(float[] a, float[] b) {
        return java.util.stream.IntStream.range(0, a.length).filter(i -> a[i] != b[i]).boxed().toList();
    }

    @Test
    void damagedPreprocessingIsRefusedNamingTheStep(@TempDir Path dir) throws Exception {
        train(dir, SPEC);
        ObjectMapper json = new ObjectMapper();
        Path manifest = dir.resolve(BundleManifest.FILE);
        ObjectNode root = (ObjectNode) json.readTree(manifest.toFile());
        ((ArrayNode) root.get("preprocessing").get(1).get("scale")).remove(3);
        json.writeValue(manifest.toFile(), root);
        InvalidBundleException e = assertThrows(InvalidBundleException.class, () -> BundleReader.read(dir));
        assertEquals("model bundle " + dir + ": preprocessing step standardize needs mean and scale for each of the"
                + " 57 features", e.getMessage());
        ((ObjectNode) root.get("preprocessing").get(0)).put("step", "sqrt-pt");
        json.writeValue(manifest.toFile(), root);
        InvalidBundleException unknown = assertThrows(InvalidBundleException.class, () -> BundleReader.read(dir));
        assertTrue(unknown.getMessage().contains("cannot read manifest.json") && unknown.getMessage()
                .contains("sqrt-pt"), unknown.getMessage());
    }
}

package org.oddity.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.oddity.config.OdditySettings;
import org.oddity.config.SettingsSource;
import org.oddity.fixtures.TrainedBundle;
import org.oddity.metrics.ScoringLatencies;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;

/**
 * The scoring topology as a running deployment knows it: sub-topologies, node names, stores
 * and topics, compared with the description checked in under {@code src/test/resources/topology}.
 * A new jar started under the same application id finds its state by these names: a renamed
 * store or node would change a changelog topic or a task's place, and the upgraded instance
 * would start from empty windows and alert state and raise its open alerts again. A change
 * here is deliberate: accept it with {@code mvn test -Dtest=TopologyCompatibilityTest
 * -Dtopology.accept=true} and say in the release notes that the application id must change.
 */
class TopologyCompatibilityTest {

    private static final Path EXPECTED = Path.of("src/test/resources/topology");

    @ParameterizedTest
    @CsvSource({"default, false", "online-calibration, true"})
    void theTopologyKeepsItsNamesAcrossReleases(String name, boolean online) throws IOException {
        OdditySettings settings = OdditySettings.from(SettingsSource.load(null, Map.of(),
                Map.of("calibration.online.enabled", Boolean.toString(online))));
        CellCounters counters = new CellCounters(settings.calibration().cells(),
                settings.calibration().workingPoints().size());
        String described = AnomalyTopology.build(Topics.withPrefix(""), settings, new ActiveModel(
                        TrainedBundle.model(settings), counters, settings.calibration().minSize()), counters,
                ScoringLatencies.of(settings.metrics()), Clock.systemUTC()).describe().toString();
        Path file = EXPECTED.resolve(name + ".txt");
        if (Boolean.getBoolean("topology.accept")) {
            Files.createDirectories(EXPECTED);
            Files.writeString(file, described, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), described, "the " + name + " topology differs"
                + " from " + file + "; see this test's documentation before accepting it");
    }
}

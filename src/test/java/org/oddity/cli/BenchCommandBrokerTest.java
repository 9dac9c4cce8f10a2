package org.oddity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.fixtures.TrainedBundle;
import org.oddity.testing.KafkaFixture;

/**
 * {@code oddity bench} on a real broker: both applications process every event of each round,
 * the ratio is the ratio of the medians, and the latency phase records the outputs of each.
 * Figures are not asserted against targets: speed is for benchmarks, not tests.
 */
@Tag("broker")
class BenchCommandBrokerTest {

    @Test
    void benchReportsThroughputRatioAndLatencyOfBothApplications(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("bench.json");
        int code = Oddity.execute("bench", "--bootstrap-servers", KafkaFixture.shared().bootstrapServers(),
                "--bundle", TrainedBundle.directory().toString(), "--events", "5000", "--rounds", "1",
                "--latency-rate", "2000", "--latency-duration", "4s", "--work-dir", dir.resolve("work").toString(),
                "--report", report.toString());
        assertEquals(0, code);
        JsonNode json = new ObjectMapper().readTree(Files.readString(report));
        assertEquals(5_000, json.get("events").asLong());
        double pass = json.get("passThroughEventsPerSecond").get(0).asDouble();
        double oddity = json.get("oddityEventsPerSecond").get(0).asDouble();
        assertTrue(pass > 0 && oddity > 0, json.toString());
        assertEquals(oddity / pass, json.get("throughputRatio").asDouble(), 1e-9);
        // 4 s at 2,000/s with the first 2 s left out: about 4,000 copies, and about 1% of them flagged.
        long copies = json.get("passThroughLatency").get("samples").asLong();
        assertTrue(copies > 2_000 && copies <= 8_000, "pass-through latency samples " + copies);
        assertTrue(json.get("oddityLatency").get("samples").asLong() > 0, json.toString());
        assertTrue(json.get("passThroughLatency").get("p50Millis").asDouble()
                <= json.get("passThroughLatency").get("maxMillis").asDouble());
    }
}

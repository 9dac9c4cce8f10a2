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

/**
 * {@code oddity demo} end to end, as a newcomer runs it: trains a model, starts its own local
 * broker (a child JVM), streams, and writes the report whose fields scripts rely on.
 */
@Tag("broker")
class DemoCommandBrokerTest {

    @Test
    void shortDemoWritesTheContractedReport(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("demo-report.json");
        // No metrics endpoint: its fixed default port may be taken by another instance on the machine.
        int code = Oddity.execute("demo", "--duration", "4s", "--rate", "5000", "--calibration-events", "200000",
                "--bad-event-fraction", "0.002", "--work-dir", dir.resolve("work").toString(),
                "--report", report.toString(), "--set", "metrics.port=0");
        assertEquals(0, code);
        JsonNode json = new ObjectMapper().readTree(Files.readString(report));
        assertEquals(20_000, json.get("events").asLong());
        assertEquals(0.01, json.get("alpha").asDouble());
        long cellEvents = 0;
        long cellFlagged = 0;
        for (JsonNode cell : json.get("cells")) {
            assertTrue(cell.get("cell").asText().contains("pileup"), cell.toString());
            long n = cell.get("events").asLong();
            long k = cell.get("flagged").asLong();
            assertEquals(k / (double) n, cell.get("flagRate").asDouble(), 1e-12);
            assertTrue(cell.get("globalThresholdFlagRate").isNumber());
            cellEvents += n;
            cellFlagged += k;
        }
        assertEquals(cellFlagged, json.get("flagged").asLong());
        assertEquals(json.get("events").asLong(), cellEvents + json.get("deadLetters").asLong());
        assertTrue(json.get("deadLetters").asLong() > 0, "the injected malformed records reach the dead-letter topic");
        assertTrue(Files.notExists(dir.resolve("work/demo/broker/data")), "the local broker's data is removed");
    }
}

package org.oddity.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scenario files: what they describe, their defaults, and failures that name the offending field. */
class ScenarioTest {

    private static final Path SCENARIOS = Path.of("scenarios");

    private static final String BASE = """
            fills:
              - duration: 30m
            """;

    @Test
    void emptyScenarioIsTheStandardFill() {
        assertEquals(SimulationPlan.standard(1000, 3600), Scenario.parse("").plan(1000));
        assertEquals(SimulationPlan.standard(1000, 3600), Scenario.parse("{}").plan(1000));
    }

    @Test
    void readsEveryField() {
        Scenario s = Scenario.parse("""
                run: 368123
                start: 2026-05-01T08:00:00.5Z
                fills:
                  - {duration: 1h, peakPileup: 55, endPileup: 30, peakLumi: 1.8}
                  - {duration: 1800s, peakPileup: 40}
                detector: {nominal: ALL_IN, degraded: HCAL_OUT, period: 10m, degradedFraction: 0.1}
                signals:
                  - {kind: A_4l, probability: 1e-3, start: 600, end: 0.5h, mass: 70}
                  - {kind: dijet, probability: 0.002}
                faults:
                  - {kind: dead-region, start: 10m, end: 20m, etaMin: -1, etaMax: 0, phiMin: -3, phiMax: 3,
                     objects: [jets, taus]}
                  - {kind: hot-channel, probability: 0.5, object: jets, pt: 200, eta: -2.5, phi: 3}
                  - {kind: jes-drift, start: 0, end: 5400, factor: 1.2}
                  - {kind: noisy-met, end: 1m, sigma: 12.5}
                """);
        assertEquals(368123, s.run());
        assertEquals(1_777_622_400_500_000_000L, s.startNanos());
        assertEquals(List.of(new FillProfile(55, 30, 1.8, 3600), new FillProfile(40, 25, 2.0, 1800)), s.fills());
        assertEquals(5400.0, s.durationSeconds());
        assertEquals(new DetectorSchedule("ALL_IN", "HCAL_OUT", 600, 0.1), s.detector());
        assertEquals(List.of(new SignalInjection(SignalKind.A_4L, 1e-3, 600, 1800, 70, 0.0),
                new SignalInjection(SignalKind.DIJET, 0.002, 0, 5400, 1500, 0.03)), s.signals());
        assertEquals(List.of(
                new DetectorFault.DeadRegion(600, 1200, -1, 0, -3, 3,
                        EnumSet.of(ObjectCollection.JETS, ObjectCollection.TAUS)),
                new DetectorFault.HotChannel(0, 5400, 0.5, ObjectCollection.JETS, 200, -2.5, 3),
                new DetectorFault.JesDrift(0, 5400, 1.2),
                new DetectorFault.NoisyMet(0, 60, 12.5)), s.faults());
    }

    @Test
    void faultDefaultsAreSensible() {
        Scenario s = Scenario.parse(BASE + """
                faults:
                  - kind: dead-region
                  - kind: hot-channel
                  - kind: jes-drift
                  - kind: noisy-met
                """);
        DetectorFault.DeadRegion dead = (DetectorFault.DeadRegion) s.faults().get(0);
        assertEquals(EnumSet.allOf(ObjectCollection.class), dead.collections());
        assertEquals(0.0, dead.startSeconds());
        assertEquals(1800.0, dead.endSeconds());
        DetectorFault.HotChannel hot = (DetectorFault.HotChannel) s.faults().get(1);
        assertEquals(ObjectCollection.EGAMMAS, hot.collection());
        assertEquals(50.0, hot.pt());
        assertEquals(0.9, ((DetectorFault.JesDrift) s.faults().get(2)).factor());
        assertEquals(20.0, ((DetectorFault.NoisyMet) s.faults().get(3)).sigma());
    }

    @Test
    void readsJsonFiles(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.json");
        Files.writeString(file, """
                {"fills": [{"duration": 900}],
                 "signals": [{"kind": "hpm_taunu", "probability": 0.25, "start": "5m"}]}
                """);
        Scenario s = Scenario.read(file);
        assertEquals(List.of(new SignalInjection(SignalKind.HPM_TAUNU, 0.25, 300, 900, 60, 0.0)), s.signals());
    }

    /** Issue 7 streams these with the demo: 30 minutes, the fault or signal from minute 10 to minute 20. */
    @Test
    void demoScenariosLastHalfAnHourWithTheirWindowInTheMiddle() throws Exception {
        for (String name : List.of("clean", "dead-region", "hot-channel", "jes-drift", "noisy-met", "signal-4l")) {
            Scenario s = Scenario.read(SCENARIOS.resolve(name + ".yaml"));
            assertEquals(1800.0, s.durationSeconds(), name);
            assertEquals(name.equals("clean") ? 0 : 1, s.signals().size() + s.faults().size(), name);
            for (SignalInjection signal : s.signals()) {
                assertEquals(600.0, signal.startSeconds(), name);
                assertEquals(1200.0, signal.endSeconds(), name);
            }
            for (DetectorFault fault : s.faults()) {
                assertEquals(name, fault.kind());
                assertEquals(600.0, fault.startSeconds(), name);
                assertEquals(1200.0, fault.endSeconds(), name);
            }
        }
        Scenario clean = Scenario.read(SCENARIOS.resolve("clean.yaml"));
        assertEquals(SimulationPlan.standard(1000, 1800), clean.plan(1000));
        Scenario bump = Scenario.read(SCENARIOS.resolve("dijet-bump.yaml"));
        assertEquals(7200.0, bump.durationSeconds());
        assertEquals(SignalKind.DIJET, bump.signals().get(0).kind());
        assertEquals(1500.0, bump.signals().get(0).mass());
    }

    private static void assertRefused(String yaml, String field, String... phrases) {
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> Scenario.parse(yaml));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(field.isEmpty() || e.getMessage().startsWith(field + ": "), e.getMessage());
        for (String phrase : phrases) {
            assertTrue(e.getMessage().contains(phrase), e.getMessage());
        }
    }

    @Test
    void badFieldsAreRefusedWithTheirPath() {
        assertRefused(BASE + "signals: [{kind: A_4l, probability: -0.1}]", "signals[0].probability",
                "[0.0, 1.0]", "-0.1");
        assertRefused(BASE + "signals: [{kind: A_4l}]", "signals[0].probability", "missing");
        assertRefused(BASE + "signals: [{kind: A_4l, probability: 0.1, start: 10m, end: 5m}]", "signals[0].end",
                "not after its start");
        assertRefused(BASE + "signals: [{kind: A_4l, probability: 0.1, start: 40m}]", "signals[0].start",
                "after the run's end");
        assertRefused(BASE + "signals: [{kind: Zprime, probability: 0.1}]", "signals[0].kind",
                "unknown signal 'Zprime'", "A_4l, LQ_btau, h0_tautau, hpm_taunu, dijet");
        assertRefused(BASE + "signals: [{kind: dijet, probability: 0.1, mass: 5}]", "signals[0].mass", "[10.0");
        assertRefused(BASE + "signals: [{kind: dijet, probability: 0.1, rate: 3}]", "signals[0].rate",
                "unknown key");
        assertRefused(BASE + "faults: [{kind: dead-region}, {kind: broken-cable}]", "faults[1].kind",
                "unknown fault 'broken-cable'", "dead-region, hot-channel, jes-drift, noisy-met");
        assertRefused(BASE + "faults: [{kind: jes-drift, start: 20m, end: 10m}]", "faults[0].end");
        assertRefused(BASE + "faults: [{kind: jes-drift, factor: 0}]", "faults[0].factor");
        assertRefused(BASE + "faults: [{kind: noisy-met, probability: 0.1}]", "faults[0].probability",
                "unknown key", "kind, start, end, sigma");
        assertRefused(BASE + "faults: [{kind: hot-channel, object: photons}]", "faults[0].object",
                "unknown object collection 'photons'");
        assertRefused(BASE + "faults: [{kind: hot-channel, eta: 2.5}]", "faults[0].eta");
        assertRefused(BASE + "faults: [{kind: dead-region, etaMin: 1, etaMax: 0.5}]", "faults[0].etaMax");
        assertRefused(BASE + "faults: [{kind: dead-region, objects: []}]", "faults[0].objects");
        assertRefused("fills: [{duration: 10m, peakPileup: 20, endPileup: 30}]", "fills[0].endPileup");
        assertRefused("fills: [{peakPileup: 20}]", "fills[0].duration", "missing");
        assertRefused("fills: [{duration: ten minutes}]", "fills[0].duration", "'ten minutes'");
        assertRefused("fills: []", "fills", "at least one fill");
        assertRefused("fills: [{duration: 0}]", "fills[0].duration", "positive");
        assertRefused("fills: [~]", "fills[0]", "expected a mapping");
        assertRefused("detector: {period: 0s}", "detector.period", "positive");
        assertRefused("detector: {nominal: A, degraded: A}", "detector.degraded", "must differ");
        assertRefused("start: yesterday", "start", "ISO-8601");
        assertRefused("run: -1", "run");
        assertRefused("runs: 3", "runs", "unknown key");
        assertRefused("signals: {kind: A_4l}", "signals", "expected a list");
    }

    @Test
    void malformedFilesAreRefusedWithTheirPosition(@TempDir Path dir) throws Exception {
        assertRefused("fills: [duration: 10m", "", "not valid YAML", "line");
        assertRefused("run: 1\nrun: 2\n", "", "Duplicate field 'run'");
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\"fills\": [}");
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> Scenario.read(file));
        assertTrue(e.getMessage().startsWith("not valid JSON at line 1"), e.getMessage());
    }
}

package org.oddity.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.oddity.avro.CollisionEvent;

/** Signal and fault labels: counts match the requested rates, windows are respected, streams repeat exactly. */
class TruthLabelTest {

    private static final long EVENTS = 180_000;
    /** A count outside its exact binomial interval at this level fails: one false alarm in a million runs. */
    private static final double ALPHA = 1e-6;

    /**
     * A_4l at 2% in [300, 1200) s, a hot channel at 5% in [900, 1500) s, h0 to tau tau at 10% in [1500, 1800) s:
     * the first two overlap in [900, 1200), where an event can carry both labels.
     */
    private static final String SCENARIO = """
            fills: [{duration: 1800}]
            signals:
              - {kind: A_4l, probability: 0.02, start: 300, end: 1200}
              - {kind: h0_tautau, probability: 0.1, start: 1500, end: 1800}
            faults:
              - {kind: hot-channel, probability: 0.05, start: 900, end: 1500}
            """;

    /** Seconds into the run of event i of n: the simulator's documented placement. */
    private static double timeOf(long eventNumber, long events, double duration) {
        return (eventNumber - 0.5) / events * duration;
    }

    private static int regionOf(double t) {
        return t < 300 ? 0 : t < 900 ? 1 : t < 1200 ? 2 : t < 1500 ? 3 : 4;
    }

    @Test
    void labelCountsMatchTheRequestedRatesWithinExactBinomialIntervals() {
        SimulationPlan plan = Scenario.parse(SCENARIO).plan(EVENTS);
        DaqSimulator simulator = new DaqSimulator(plan, 11);
        long[] eventsIn = new long[5];
        List<Map<String, Long>> labels = new ArrayList<>();
        for (int r = 0; r < 5; r++) {
            labels.add(new HashMap<>());
        }
        while (simulator.hasNext()) {
            CollisionEvent event = simulator.next();
            int region = regionOf(timeOf(event.getEvent(), EVENTS, 1800));
            eventsIn[region]++;
            if (event.getTruth() != null) {
                labels.get(region).merge(event.getTruth(), 1L, Long::sum);
            }
        }
        // Equal slices of event time: 100 events per second.
        assertEquals(List.of(30_000L, 60_000L, 30_000L, 30_000L, 30_000L), List.of(eventsIn[0], eventsIn[1],
                eventsIn[2], eventsIn[3], eventsIn[4]));

        assertEquals(Map.of(), labels.get(0), "no window covers [0, 300)");
        assertLabels(labels.get(1), eventsIn[1], Map.of("A_4l", 0.02));
        assertLabels(labels.get(2), eventsIn[2], Map.of("A_4l", 0.02 * 0.95, "A_4l|fault:hot-channel", 0.02 * 0.05,
                "fault:hot-channel", 0.98 * 0.05));
        assertLabels(labels.get(3), eventsIn[3], Map.of("fault:hot-channel", 0.05));
        assertLabels(labels.get(4), eventsIn[4], Map.of("h0_tautau", 0.1));
    }

    private static void assertLabels(Map<String, Long> counts, long events, Map<String, Double> probabilities) {
        assertEquals(probabilities.keySet(), counts.keySet(), "labels present");
        probabilities.forEach((label, p) -> {
            BinomialInterval interval = BinomialInterval.of(events, p, ALPHA);
            long count = counts.get(label);
            assertTrue(interval.contains(count), label + ": " + count + " of " + events + " events, expected "
                    + events * p + " within " + interval);
        });
    }

    @Test
    void binomialIntervalIsExact() {
        // Binomial(100, 0.5): P(X <= 39) = 0.0176, P(X <= 40) = 0.0284; so at alpha = 0.05, [40, 60].
        assertEquals(new BinomialInterval(40, 60), BinomialInterval.of(100, 0.5, 0.05));
        // Binomial(10, 0.1): P(X = 0) = 0.349 > 0.005 and P(X >= 5) = 0.00164 <= 0.005 < P(X >= 4) = 0.0128.
        assertEquals(new BinomialInterval(0, 4), BinomialInterval.of(10, 0.1, 0.01));
    }

    @Test
    void sameSeedRepeatsSignalsAndFaultsExactly() {
        SimulationPlan plan = Scenario.parse(SCENARIO).plan(30_000);
        assertEquals(all(new DaqSimulator(plan, 5)), all(new DaqSimulator(plan, 5)));
        assertNotEquals(all(new DaqSimulator(plan, 5)), all(new DaqSimulator(plan, 6)));
    }

    /** Signals and faults draw from their own streams, so the clean run's events survive outside the windows. */
    @Test
    void eventsOutsideAllWindowsAreTheCleanRunsEvents() {
        long events = 30_000;
        List<CollisionEvent> clean = all(new DaqSimulator(Scenario.parse("fills: [{duration: 1800}]").plan(events), 9));
        List<CollisionEvent> injected = all(new DaqSimulator(Scenario.parse(SCENARIO).plan(events), 9));
        int differing = 0;
        for (int i = 0; i < events; i++) {
            CollisionEvent a = clean.get(i);
            CollisionEvent b = injected.get(i);
            assertNull(a.getTruth());
            if (b.getTruth() == null) {
                assertEquals(a, b, "unlabelled event " + (i + 1));
            } else {
                differing++;
                assertEquals(a.getConditions(), b.getConditions());
                assertEquals(a.getBunchCrossing(), b.getBunchCrossing());
            }
        }
        assertTrue(differing > 500, differing + " labelled events");
    }

    private static List<CollisionEvent> all(DaqSimulator simulator) {
        List<CollisionEvent> out = new ArrayList<>();
        simulator.forEachRemaining(out::add);
        return out;
    }
}

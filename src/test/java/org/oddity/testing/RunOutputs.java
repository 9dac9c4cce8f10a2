package org.oddity.testing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.oddity.avro.DeadLetter;
import org.oddity.avro.DriftAlert;
import org.oddity.avro.FlaggedEvent;
import org.oddity.avro.WindowSummary;
import org.oddity.client.KafkaClientSettings;
import org.oddity.topology.Topics;

/**
 * What one run of the scoring application wrote, read with read_committed: flagged events (as
 * run:lumisection:event, in topic order), dead letters per stage, per (window, cell, stratum) the
 * events, dead letters and flags per working point summed over partials, and the alerts (as
 * kind/state/cell/feature/window, in topic order).
 */
public record RunOutputs(List<String> flags, Map<String, Long> deadLettersByStage,
        Map<String, List<Long>> windowCounts, List<String> alertRecords) {

    /** Reads what the run on {@code topics} of {@code cluster} wrote. */
    public static RunOutputs read(KafkaClientSettings cluster, Topics topics) {
        List<String> flags = CommittedTopic.read(cluster, topics.anomalies()).stream()
                .map((FlaggedEvent f) -> f.getRun() + ":" + f.getLumisection() + ":" + f.getEvent()).toList();
        Map<String, Long> deadLetters = new TreeMap<>();
        for (DeadLetter d : CommittedTopic.read(cluster, topics.deadLetters())) {
            deadLetters.merge(d.getStage().name(), 1L, Long::sum);
        }
        Map<String, List<Long>> windows = new TreeMap<>();
        Set<String> partials = new HashSet<>();
        for (WindowSummary s : CommittedTopic.read(cluster, topics.windowSummaries())) {
            String key = s.getWindowStartNanos() + "/" + s.getCell() + "/" + s.getStratum();
            if (!partials.add(key + "/" + s.getProducer())) {
                continue; // a redelivery, which the monitor skips too
            }
            List<Long> counts = new ArrayList<>(List.of(s.getEvents(), s.getDeadLetters()));
            counts.addAll(new TreeMap<>(s.getFlaggedPerWorkingPoint()).values());
            windows.merge(key, counts, RunOutputs::sum);
        }
        List<String> alerts = new ArrayList<>();
        for (DriftAlert a : CommittedTopic.read(cluster, topics.alerts())) {
            alerts.add(a.getKind() + "/" + a.getState() + "/" + a.getCell() + "/" + a.getFeature() + "/"
                    + a.getWindowStartNanos());
        }
        return new RunOutputs(flags, deadLetters, windows, alerts);
    }

    private static List<Long> sum(List<Long> a, List<Long> b) {
        List<Long> sum = new ArrayList<>(a);
        for (int i = 0; i < sum.size(); i++) {
            sum.set(i, sum.get(i) + b.get(i));
        }
        return sum;
    }

    /** The distinct flagged events, as run:lumisection:event. */
    public Set<String> flaggedIds() {
        return new HashSet<>(flags);
    }

    /** Events counted in the window summaries, redeliveries skipped. */
    public long windowEvents() {
        return windowCounts.values().stream().mapToLong(c -> c.get(0)).sum();
    }

    /** The distinct alerts, as kind/state/cell/feature/window. */
    public Set<String> alerts() {
        return new HashSet<>(alertRecords);
    }

    /** Alerts written more than once. */
    public long duplicateAlerts() {
        return alertRecords.size() - alerts().size();
    }

    /** Flagged events written more than once. */
    public long duplicateFlags() {
        return flags.size() - flaggedIds().size();
    }

    /** The (window, cell, stratum) keys whose counts differ from {@code expected}'s, with both, for messages. */
    public String windowDifferences(RunOutputs expected) {
        StringBuilder out = new StringBuilder();
        Set<String> keys = new TreeSet<>(windowCounts.keySet());
        keys.addAll(expected.windowCounts.keySet());
        for (String k : keys) {
            if (!Objects.equals(windowCounts.get(k), expected.windowCounts.get(k))) {
                out.append(k).append(' ').append(windowCounts.get(k)).append(" vs ")
                        .append(expected.windowCounts.get(k)).append("; ");
            }
        }
        return out.toString();
    }
}

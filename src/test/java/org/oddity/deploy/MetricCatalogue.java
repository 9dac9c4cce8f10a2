package org.oddity.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The series the Prometheus rules and the Grafana dashboard may read: the metrics an oddity instance serves
 * (each also labelled application and instance_id), Prometheus' own per-target series, and what the recording
 * rules make of them.
 */
final class MetricCatalogue {

    /** The recording rules; the alerting rules and the dashboard read what they record. */
    static final Path RECORDING_RULES = Path.of("deploy/prometheus/recording.rules.yml");

    /** What /metrics serves, in Prometheus' names: oddity's meters, then the JVM's and Kafka Streams' bound ones. */
    static final Set<String> SERVED = Set.of(
            "oddity_events_scored_total",
            "oddity_events_flagged_total",
            "oddity_events_flagged_per_working_point_total",
            "oddity_events_global_threshold_flagged_total",
            "oddity_dead_letters_total",
            "oddity_working_point_alpha",
            "oddity_calibration_set_size",
            "oddity_calibration_fallback_level",
            "oddity_calibration_online",
            "oddity_calibration_age_seconds",
            "oddity_model_info",
            "oddity_alerts_open",
            "oddity_ready",
            "oddity_flag_latency_seconds_bucket",
            "oddity_flag_latency_seconds_sum",
            "oddity_flag_latency_seconds_count",
            "oddity_scoring_latency_seconds_bucket",
            "oddity_scoring_latency_seconds_sum",
            "oddity_scoring_latency_seconds_count",
            "jvm_memory_used_bytes",
            "process_cpu_usage",
            "kafka_consumer_fetch_manager_records_lag_max",
            "kafka_stream_thread_process_total");

    /** The series Prometheus makes for every scrape target. */
    static final Set<String> PER_TARGET = Set.of("up");

    private MetricCatalogue() {
    }

    /** The series the recording rules record, in file order. */
    static Set<String> recorded() throws IOException {
        Set<String> recorded = new LinkedHashSet<>();
        JsonNode rules = new YAMLMapper().readTree(RECORDING_RULES.toFile());
        rules.path("groups").forEach(group -> group.path("rules")
                .forEach(rule -> recorded.add(rule.path("record").asText())));
        return recorded;
    }
}

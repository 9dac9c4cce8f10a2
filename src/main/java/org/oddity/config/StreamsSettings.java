package org.oddity.config;

import static org.oddity.config.SettingValues.intIn;
import static org.oddity.config.SettingValues.matching;
import static org.oddity.config.SettingValues.oneOf;

import java.time.Duration;
import java.util.List;

/**
 * How the Kafka Streams application runs.
 *
 * @param applicationId       instances with the same id share the partitions
 * @param threads             stream threads per instance
 * @param processingGuarantee at least once or exactly once
 * @param standbyReplicas     warm copies of each stateful task on other instances
 * @param instanceId          this instance's stable name in the consumer group (static membership),
 *                            unique among the instances of the application; empty for the name kept
 *                            in the work directory
 * @param commitInterval      how often tasks commit; zero for Kafka's default (100 ms under exactly-once,
 *                            30 s at least once)
 */
public record StreamsSettings(String applicationId, int threads, ProcessingGuarantee processingGuarantee,
        int standbyReplicas, String instanceId, Duration commitInterval) {

    /** Keys {@code application.id} and {@code streams.*}. */
    static StreamsSettings from(SettingsSource source) {
        return new StreamsSettings(
                matching(source, "application.id", "[A-Za-z0-9._\\-]{1,200}",
                        "expected 1 to 200 letters, digits, '.', '_' or '-'"),
                intIn(source, "streams.threads", 1, 64),
                oneOf(source, "streams.processing-guarantee", List.of(ProcessingGuarantee.values()),
                        ProcessingGuarantee::settingValue),
                intIn(source, "streams.standby-replicas", 0, 10),
                matching(source, "streams.instance-id", "[A-Za-z0-9._\\-]{0,200}",
                        "expected up to 200 letters, digits, '.', '_' or '-'"),
                Durations.parseOrZero("streams.commit-interval", source.get("streams.commit-interval")));
    }
}

package org.oddity.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.oddity.bench.PipelineBenchmark;
import org.oddity.bundle.ScoringModel;
import org.oddity.config.Durations;
import org.oddity.config.OdditySettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code oddity bench}: the whole-pipeline benchmark, oddity against a bare pass-through Streams application. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure the scoring application's throughput as a ratio to a bare pass-through Kafka Streams"
                + " application in the same run (same broker, input, partitions and client settings), and the"
                + " publish-to-output latency of both at a fixed rate (HdrHistogram).",
            "Without --bootstrap-servers a local single-node KRaft broker is started and removed afterwards."})
final class BenchCommand extends OddityCommand {

    @Option(names = "--events", defaultValue = "1000000", description = "Events per throughput round (default ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--rounds", defaultValue = "2", description = "Throughput rounds, each application once per round"
            + " (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--latency-rate", defaultValue = "10000", description = "Events per second of the latency phase"
            + " (default ${DEFAULT-VALUE}).")
    double latencyRate;

    @Option(names = "--latency-duration", defaultValue = "20s", paramLabel = "DURATION",
            description = "Length of the latency phase per application (default ${DEFAULT-VALUE}).")
    String latencyDuration;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the figures as JSON to FILE.")
    Path report;

    @Override
    int run(OdditySettings settings) throws Exception {
        CommandLineChecks.inRange("--events", events, 1_000, 1_000_000_000);
        CommandLineChecks.inRange("--rounds", rounds, 1, 20);
        CommandLineChecks.inRange("--latency-rate", latencyRate, 1, 1_000_000);
        Duration latency = Durations.parse("--latency-duration", latencyDuration);
        KafkaCluster.checkLocal(settings);
        Path benchDir = settings.workDir().resolve("bench");
        Files.createDirectories(benchDir);
        OdditySettings withBundle = BundleTraining.withDefaultBundle(settings, benchDir, "bench-hbos",
                () -> BundleTraining.DEFAULT_CALIBRATION_EVENTS, 1, System.out);
        ScoringModel model = ModelLoader.scoringModel(withBundle);
        try (KafkaCluster cluster = KafkaCluster.of(withBundle, benchDir, System.out)) {
            PipelineBenchmark.Result result = new PipelineBenchmark(cluster.settings(), model, System.out).run(events,
                    rounds, latencyRate, latency, new ProgressBar("publishing", events));
            System.out.printf("throughput: oddity %s events/s, pass-through %s events/s, ratio %.2f%n",
                    result.oddityEventsPerSecond(), result.passThroughEventsPerSecond(), result.throughputRatio());
            if (report != null) {
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(report.toFile(), result);
                System.out.println("report written to " + report);
            }
            return 0;
        }
    }
}

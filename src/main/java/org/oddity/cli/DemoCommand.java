package org.oddity.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.oddity.avro.DriftAlert;
import org.oddity.bundle.ScoringModel;
import org.oddity.calibrate.CellScheme;
import org.oddity.calibrate.ResolvedCell;
import org.oddity.client.KafkaClientSettings;
import org.oddity.config.Durations;
import org.oddity.config.MonitoringSettings;
import org.oddity.config.OdditySettings;
import org.oddity.kafka.EventPublisher;
import org.oddity.kafka.OutputTally;
import org.oddity.kafka.TopicAdmin;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;
import org.oddity.sim.BadEventInjector;
import org.oddity.sim.DaqSimulator;
import org.oddity.topology.ScoringApplication;
import org.oddity.topology.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code oddity demo}: simulator, scoring application and a reader of its output, on a real
 * Kafka (a local single-node broker unless --bootstrap-servers is given); prints and writes the
 * per-cell flag rates with and without per-condition calibration.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the simulator and the scoring application on a real Kafka and report flag rates per"
                + " run-condition cell, next to what one global threshold would give.",
            "Without --bootstrap-servers a local single-node KRaft broker is started and removed afterwards."})
final class DemoCommand extends OddityCommand {

    /** Calibration events per streamed event: keeps the calibration sets' own spread small next to the binomial one. */
    static final int CALIBRATION_PER_EVENT = 5;
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(120);
    private static final long STATUS_EVERY_MILLIS = 5_000;
    /** Longest quiet time before the demo's tasks and monitor close and test their last windows. */
    private static final Duration DEMO_IDLE_FLUSH = Duration.ofSeconds(5);

    @Option(names = "--duration", defaultValue = "60s", paramLabel = "DURATION",
            description = "How long to stream, e.g. 60s or 5m (default ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--rate", defaultValue = "10000", description = "Events per second to publish (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--bad-event-fraction", defaultValue = "0.0005",
            description = "Fraction of malformed records mixed in, to show the dead-letter path (default ${DEFAULT-VALUE}).")
    double badEventFraction;

    @Option(names = "--calibration-events", paramLabel = "N",
            description = "Simulated calibration events for the demo's model (default: the larger of 1,000,000 and"
                    + " 5 x the streamed events).")
    Long calibrationEvents;

    @Option(names = "--scenario", paramLabel = "FILE",
            description = "Stream this scenario (YAML or JSON: fills, detector schedule, signals, faults; see"
                    + " scenarios/) instead of the standard fill. The model is still trained on the standard fill.")
    Path scenario;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the report as JSON to FILE.")
    Path report;

    @Option(names = "--hold", description = "Keep the scoring application, its metrics and dashboard up after the"
            + " stream ends, until Ctrl-C.")
    boolean hold;

    @Mixin
    SeedOption seedOption;

    @Override
    int run(OdditySettings settings) throws Exception {
        Duration length = Durations.parse("--duration", duration);
        CommandLineChecks.inRange("--rate", rate, 1, 10_000_000);
        CommandLineChecks.inRange("--bad-event-fraction", badEventFraction, 0, 0.5);
        KafkaCluster.checkLocal(settings);
        long events = Math.max(1, Math.round(rate * length.toMillis() / 1000.0));
        Path demoDir = settings.workDir().resolve("demo");
        Files.createDirectories(demoDir);

        OdditySettings withBundle = BundleTraining.withDefaultBundle(settings, demoDir, "demo-hbos", () -> {
            long calibration = calibrationEvents != null ? calibrationEvents
                    : Math.max(BundleTraining.DEFAULT_CALIBRATION_EVENTS, CALIBRATION_PER_EVENT * events);
            CommandLineChecks.inRange("--calibration-events", calibration, 1, 1_000_000_000);
            return calibration;
        }, seedOption.seed, System.out);
        ScoringModel model = ModelLoader.scoringModel(withBundle);

        try (ShutdownSignal stop = new ShutdownSignal();
                KafkaCluster cluster = KafkaCluster.of(withBundle, demoDir, System.out)) {
            DemoReport result;
            try {
                result = stream(cluster.settings(), model, events, stop);
            } catch (IllegalStateException e) {
                if (!stop.stopRequested()) {
                    throw e;
                }
                // Ctrl-C or SIGTERM before the end: the user asked for it, so no report and no stack trace.
                System.out.println("stopped before the stream ended: " + e.getMessage());
                return 130;
            }
            long unaccounted = result.unaccounted();
            if (unaccounted != 0) {
                System.err.printf("oddity: %,d input records are neither scored nor dead letters%n", unaccounted);
                return 1;
            }
            return 0;
        }
    }

    private DemoReport stream(OdditySettings base, ScoringModel model, long events, ShutdownSignal stop)
            throws Exception {
        // A fresh application id and, on a shared cluster, fresh topics: the demo must only see its own events.
        String runId = "demo-" + Instant.now().getEpochSecond();
        OdditySettings settings = base;
        Topics topics = Topics.withPrefix(settings.kafka().topicPrefix());
        if (!base.kafka().bootstrapServers().isEmpty() && settingsOptions.bootstrapServers != null) {
            topics = Topics.withPrefix(settings.kafka().topicPrefix() + runId + ".");
        }
        KafkaClientSettings cluster = KafkaClientSettings.of(settings.kafka());
        TopicAdmin.ensure(cluster, topics.scoringTopics(settings.kafka().topicPartitions(),
                settings.kafka().topicReplicationFactor()));
        CellCounters counters = new CellCounters(settings.calibration().cells(),
                settings.calibration().workingPoints().size());
        // The demo ends when its stream does: close and test the last windows a few seconds after it.
        MonitoringSettings monitoring = settings.monitoring();
        Duration flush = monitoring.idleFlush().compareTo(DEMO_IDLE_FLUSH) < 0 ? monitoring.idleFlush() : DEMO_IDLE_FLUSH;
        OdditySettings appSettings = settings.toBuilder()
                .applicationId(settings.streams().applicationId() + "-" + runId)
                .monitoring(new MonitoringSettings(monitoring.enabled(), monitoring.window(),
                        monitoring.graceWindows(), flush, monitoring.pValueBins(), monitoring.tests()))
                .build();
        BadEventInjector injector = new BadEventInjector(topics.eventCodec()::encode, badEventFraction,
                seedOption.seed + 7);
        DaqSimulator simulator = new DaqSimulator(SimulateCommand.plan(scenario, events), seedOption.seed);

        ActiveModel active = new ActiveModel(model, counters, appSettings.calibration().minSize(),
                appSettings.calibration().online().enabled());
        try (InstanceMetrics metrics = InstanceMetrics.start(appSettings, topics, counters, active, System.out);
                ScoringApplication app = ScoringApplication.start(topics, appSettings, active, counters,
                        metrics.latencies(), metrics.registry());
                OutputTally tally = new OutputTally(cluster, topics);
                EventPublisher publisher = new EventPublisher(cluster, topics.events().name())) {
            metrics.watch(app);
            System.out.printf("streaming %,d events at %,.0f/s through %s (model %s)%n", events, rate,
                    topics.events().name(), model.bundle().version());
            long start = System.nanoTime();
            LongSupplier processed = () -> counters.totalEvents() + counters.totalDeadLetters();
            Thread status = statusPrinter(publisher::sent, processed, tally, events);
            BooleanSupplier halt = () -> stop.stopRequested() || app.stopped();
            long sent;
            long scoredAt;
            try {
                sent = publisher.publish(simulator, rate, injector, halt);
                awaitCount("scoring", processed, sent, halt);
                scoredAt = System.nanoTime();
                awaitCount("reading flags", () -> tally.flagged() + tally.deadLetters(),
                        counters.totalFlagged() + counters.totalDeadLetters(), halt);
                if (monitoring.enabled()) {
                    // The tasks close their windows after one idle flush, the monitor tests them two later.
                    System.out.printf("waiting %d s for the monitor to test the last windows%n",
                            3 * flush.toSeconds() + 5);
                    Thread.sleep(3 * flush.toMillis() + 5_000);
                }
            } finally {
                status.interrupt();
            }
            if (app.stopped()) {
                throw new IllegalStateException("the scoring application stopped in state " + app.state());
            }
            if (tally.failure() != null) {
                throw tally.failure();
            }
            double seconds = (scoredAt - start) / 1e9;
            DemoReport result = report(model, counters, tally, sent, processed.getAsLong() / seconds);
            result.print(System.out);
            if (report != null) {
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(report.toFile(), result);
                System.out.println("report written to " + report);
            }
            if (hold) {
                System.out.println("holding the scoring application and its dashboard until Ctrl-C");
                while (!stop.awaitStop(1_000)) {
                    if (app.stopped()) {
                        throw new IllegalStateException("the scoring application stopped in state " + app.state());
                    }
                }
            }
            return result;
        }
    }

    private DemoReport report(ScoringModel model, CellCounters counters, OutputTally tally, long sent,
            double eventsPerSecond) {
        double alpha = model.workingPoints().loosest().alpha();
        CellScheme cells = model.cells();
        List<DemoReport.Cell> rows = new ArrayList<>();
        for (int c = 0; c < cells.cellsAt(0); c++) {
            long n = counters.events(c);
            if (n == 0) {
                continue;
            }
            ResolvedCell resolved = model.table().cellFor(c);
            long flagged = tally.flagged(resolved.requested());
            double rateHere = flagged / (double) n;
            double sigma = Math.sqrt(alpha * (1 - alpha) / n);
            rows.add(new DemoReport.Cell(resolved.requested(), resolved.used(), resolved.set().size(), n, flagged,
                    rateHere, sigma, Math.abs(rateHere - alpha) <= 3 * sigma, counters.globalFlagged(c) / (double) n));
        }
        List<DemoReport.Alert> alerts = new ArrayList<>();
        for (DriftAlert a : tally.alerts()) {
            alerts.add(new DemoReport.Alert(a.getKind(), a.getState().name(), a.getCell(), a.getFeature(),
                    Instant.ofEpochSecond(0, a.getWindowStartNanos()).toString(), a.getCorrectedPValue(),
                    a.getFirstLumisection(), a.getTopFeatures()));
        }
        return new DemoReport(sent, tally.flagged(), tally.deadLetters(), tally.deadLettersByStage(), alpha,
                model.bundle().version(), eventsPerSecond, rows, scenario == null ? null : scenario.toString(),
                counters.windowsTested(), counters.eventsTested(), alerts);
    }

    private static void awaitCount(String what, LongSupplier count, long target, BooleanSupplier halt)
            throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (count.getAsLong() < target) {
            if (halt.getAsBoolean() || System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " stopped at " + count.getAsLong() + " of " + target);
            }
            Thread.sleep(50);
        }
    }

    private static Thread statusPrinter(LongSupplier sent, LongSupplier processed, OutputTally tally, long total) {
        Thread t = new Thread(() -> {
            long start = System.nanoTime();
            try {
                while (true) {
                    Thread.sleep(STATUS_EVERY_MILLIS);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    System.out.printf("  %5.0fs  sent %,d of %,d  scored %,d (%,.0f/s)  flagged %,d  dead letters %,d%n",
                            seconds, sent.getAsLong(), total, processed.getAsLong(), processed.getAsLong() / seconds,
                            tally.flagged(), tally.deadLetters());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "oddity-demo-status");
        t.setDaemon(true);
        t.start();
        return t;
    }
}

package org.oddity.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Objects;
import java.util.function.Predicate;
import org.oddity.avro.CollisionEvent;
import org.oddity.bundle.BundleManifest;
import org.oddity.bundle.ScoringModel;
import org.oddity.config.InvalidSettingException;
import org.oddity.config.OdditySettings;
import org.oddity.evaluate.Evaluation;
import org.oddity.evaluate.EvaluationReport;
import org.oddity.evaluate.ReportFiles;
import org.oddity.evaluate.SummaryTable;
import org.oddity.eventfile.EventSource;
import org.oddity.sim.DaqSimulator;
import org.oddity.sim.SimulationPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code oddity evaluate}: scores a file's events, or freshly simulated ones, with a bundle as the stream
 * would, and writes a report of per-cell flag rates, ROC curves per signal and p-value uniformity.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate a model bundle on labelled or unlabelled events, scored as the streaming path scores"
                + " them: per cell and working point the background flag rate under per-cell calibration and under"
                + " one global threshold, ROC curves, AUC and TPR at each working point's alpha and at FPR 1e-3,"
                + " 1e-4, 1e-5 per signal label, and the uniformity of the p-values. Writes DIR/report.json,"
                + " DIR/cells.csv, PNG figures and DIR/index.html.",
            "Events come from --input FILE (Avro, CSV or HDF5, with the column flags of replay and train) or from"
                + " the simulator (--events N --seed S, with --scenario FILE or the standard fill).",
            "The evaluation events must not be the bundle's calibration events: calibration held them out to"
                + " measure exactly these rates. With --input, use a file or rows the bundle was not calibrated on;"
                + " simulated, use a seed that differs from the bundle's (train --seed S calibrates with seed S+1)."})
final class EvaluateCommand extends OddityCommand {

    @Mixin
    EventFileOptions fileOptions;

    @Option(names = "--input", paramLabel = "FILE", description = "Events to evaluate on: .avro, .csv, .h5 or .hdf5.")
    Path input;

    @Option(names = "--scenario", paramLabel = "FILE",
            description = "Instead of --input: simulate this scenario (YAML or JSON; default: the standard fill).")
    Path scenario;

    @Option(names = "--events", paramLabel = "N", description = "Instead of --input: events to simulate.")
    Long events;

    @Option(names = "--seed", paramLabel = "S",
            description = "Seed of the simulated events; must differ from the bundle's training and calibration"
                    + " seeds.")
    Long seed;

    @Option(names = "--report", required = true, paramLabel = "DIR",
            description = "Directory for report.json, the PNG figures and index.html (created if missing).")
    Path report;

    @Option(names = "--background-label", paramLabel = "LABEL",
            description = "Events labelled LABEL are background too (default: only events without a label are).")
    String backgroundLabel;

    @Override
    int run(OdditySettings settings) throws Exception {
        if (settings.modelBundle() == null) {
            throw new InvalidSettingException("--bundle", "", "oddity evaluate needs the model bundle to evaluate");
        }
        SimulationPlan plan = input == null ? simulationPlan() : null;
        if (input != null) {
            rejectSimulationFlags();
        } else {
            fileOptions.requireFileForColumnFlags("--input");
        }
        ScoringModel model = ModelLoader.scoringModel(settings);
        Predicate<String> background = truth -> truth == null || truth.equals(backgroundLabel);
        Evaluation evaluation = new Evaluation(model, settings.calibration().pValueMode(),
                settings.calibration().pValueSeed(), background);
        long start = System.nanoTime();
        EvaluationReport.Input source;
        if (plan != null) {
            evaluate(evaluation, new DaqSimulator(plan, seed), new ProgressBar("evaluating", plan.events()));
            source = new EvaluationReport.Input(null, scenario == null ? null : scenario.toString(), seed);
        } else {
            int code = fileOptions.read(input, events -> {
                String mismatch = layoutMismatch(model.bundle().manifest(), events);
                if (mismatch != null) {
                    System.err.println("oddity: cannot evaluate " + input + ": " + mismatch);
                    return 1;
                }
                evaluate(evaluation, events, ProgressBar.of("evaluating", events));
                EventFileOptions.reportBadRows(events, input, System.out);
                return 0;
            });
            if (code != 0) {
                return code;
            }
            source = new EvaluationReport.Input(input.toString(), null, null);
        }
        EvaluationReport result = evaluation.report(source, (System.nanoTime() - start) / 1e9);
        if (result.scored() == 0) {
            System.err.println("oddity: no event could be scored (" + result.events() + " read, not scored by stage: "
                    + result.rejected() + ")");
            return 1;
        }
        SummaryTable.print(result, System.out);
        if (result.backgroundEvents() == 0) {
            System.out.println("no background events (truth without a label" + (backgroundLabel == null ? ""
                    : " or " + backgroundLabel) + "): no flag rates and no ROC curves");
        }
        try {
            ReportFiles.write(result, report);
        } catch (IOException e) {
            System.err.println("oddity: cannot write the report to " + report + ": " + e.getMessage());
            return 1;
        }
        System.out.println("report written to " + report.resolve(ReportFiles.JSON) + ", "
                + report.resolve(ReportFiles.CELLS_CSV) + " and " + report.resolve(ReportFiles.PAGE));
        return 0;
    }

    private static void evaluate(Evaluation evaluation, Iterator<CollisionEvent> events, ProgressBar progress) {
        while (events.hasNext()) {
            evaluation.add(events.next());
            progress.update(evaluation.eventsRead());
        }
        progress.finish(evaluation.eventsRead());
    }

    /** The simulated plan, when there is no --input: --events and --seed are then required. */
    private SimulationPlan simulationPlan() {
        if (events == null) {
            throw new InvalidSettingException("--input", "", "give --input FILE, or --events N and --seed S to"
                    + " evaluate on simulated events");
        }
        CommandLineChecks.inRange("--events", events, 1, 1_000_000_000);
        if (seed == null) {
            throw new InvalidSettingException("--seed", "", "simulated evaluation needs a seed; pick one the bundle"
                    + " was not trained or calibrated with");
        }
        return SimulateCommand.plan(scenario, events);
    }

    private void rejectSimulationFlags() {
        if (scenario != null) {
            throw new InvalidSettingException("--scenario", scenario.toString(), "give either --input or --scenario");
        }
        if (events != null) {
            throw new InvalidSettingException("--events", String.valueOf(events), "simulates events; --input reads"
                    + " them from a file");
        }
        if (seed != null) {
            throw new InvalidSettingException("--seed", String.valueOf(seed), "seeds simulated events; --input reads"
                    + " them from a file");
        }
    }

    /** Why the file's events cannot feed the bundle's extractor, or null if they can. */
    private static String layoutMismatch(BundleManifest manifest, EventSource events) {
        String layout = BundleTraining.layoutOf(events);
        if (Objects.equals(layout, manifest.featureLayout())) {
            return null;
        }
        return "its events carry " + (layout == null ? "trigger objects" : "feature layout " + layout) + ", model "
                + manifest.name() + " reads " + (manifest.featureLayout() == null ? "trigger objects (extractor "
                + manifest.extractor() + ")" : "feature layout " + manifest.featureLayout());
    }
}

package org.oddity.sim;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads scenario files from the Jackson tree rather than by data binding, so every problem (a wrong type, a value out
 * of range, an unknown key, a window that ends before it starts) is reported with the path of the field.
 */
final class ScenarioReader {

    private static final ObjectMapper YAML = new ObjectMapper(
            YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
    private static final ObjectMapper JSON = new ObjectMapper(
            JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    /** A number of seconds, optionally with a unit: 90, 90s, 1.5m, 0.5h. */
    private static final Pattern DURATION = Pattern.compile("([0-9]+(?:\\.[0-9]*)?(?:[eE][-+]?[0-9]+)?)\\s*([smh]?)");

    private static final double DEFAULT_FILL_SECONDS = 3600.0;
    private static final double DEFAULT_PEAK_PILEUP = FillProfile.standard(1.0).peakPileup();
    private static final double DEFAULT_END_PILEUP = FillProfile.standard(1.0).endPileup();
    private static final double DEFAULT_PEAK_LUMI = FillProfile.standard(1.0).peakLumi();
    private static final double MAX_SECONDS = 1e7;
    private static final double MAX_PILEUP = 1000.0;
    private static final double MAX_LUMI = 100.0;
    /** Half the 13 TeV collision energy. */
    private static final double MAX_OBJECT_PT = 6500.0;

    /** An ECAL barrel supermodule: barrel half in eta, 20 degrees in phi. */
    private static final double DEAD_ETA_MIN = 0.0;
    private static final double DEAD_ETA_MAX = BackgroundPhysics.ECAL_BARREL_ETA_MAX;
    private static final double DEAD_PHI_MIN = 0.0;
    private static final double DEAD_PHI_MAX = Math.toRadians(20.0);
    /** A hot ECAL trigger tower: a 50 GeV e/gamma candidate in 2% of the crossings. */
    private static final double HOT_PROBABILITY = 0.02;
    private static final String HOT_OBJECT = ObjectCollection.EGAMMAS.key();
    private static final double HOT_PT = 50.0;
    private static final double HOT_ETA = 0.52;
    private static final double HOT_PHI = -1.83;
    /** A calorimeter losing 10% of its response over the window. */
    private static final double JES_FACTOR = 0.9;
    private static final double NOISY_MET_SIGMA = 20.0;

    private ScenarioReader() {
    }

    static Scenario read(Path path) throws IOException {
        String text = Files.readString(path);
        boolean json = path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        return parse(json ? JSON : YAML, text);
    }

    static Scenario parseYaml(String text) {
        return parse(YAML, text);
    }

    private static Scenario parse(ObjectMapper mapper, String text) {
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JacksonException e) {
            JsonLocation where = e.getLocation();
            throw new InvalidScenarioException("", "not valid " + (mapper == JSON ? "JSON" : "YAML")
                    + (where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr())
                    + ": " + oneLine(e.getOriginalMessage()));
        }
        return scenario(new Field(root == null || root.isMissingNode() || root.isNull()
                ? mapper.createObjectNode() : root, ""));
    }

    /** The YAML parser's message spans lines that quote the input; the statements are the unindented ones. */
    private static String oneLine(String message) {
        StringJoiner line = new StringJoiner("; ");
        for (String part : String.valueOf(message).split("\\R")) {
            if (!part.isBlank() && !Character.isWhitespace(part.charAt(0))) {
                line.add(part.strip());
            }
        }
        return line.toString();
    }

    private static Scenario scenario(Field root) {
        root.requireKeys("run", "start", "fills", "detector", "signals", "faults");
        long run = root.child("run").integer(SimulationPlan.STANDARD_RUN, 0, Long.MAX_VALUE);
        long startNanos = root.child("start").instantNanos(SimulationPlan.STANDARD_START_NANOS);

        List<FillProfile> fills = new ArrayList<>();
        Field fillList = root.child("fills");
        if (fillList.absent()) {
            fills.add(FillProfile.standard(DEFAULT_FILL_SECONDS));
        } else {
            List<Field> entries = fillList.elements();
            if (entries.isEmpty()) {
                throw fillList.invalid("expected at least one fill");
            }
            for (Field fill : entries) {
                fills.add(fill(fill));
            }
        }
        double total = 0.0;
        for (FillProfile fill : fills) {
            total += fill.durationSeconds();
        }
        DetectorSchedule detector = detector(root.child("detector"), total);

        List<SignalInjection> signals = new ArrayList<>();
        for (Field signal : root.child("signals").elements()) {
            signals.add(signal(signal, total));
        }
        List<DetectorFault> faults = new ArrayList<>();
        for (Field fault : root.child("faults").elements()) {
            faults.add(fault(fault, total));
        }
        return new Scenario(run, startNanos, fills, detector, signals, faults);
    }

    private static FillProfile fill(Field fill) {
        fill.requireKeys("duration", "peakPileup", "endPileup", "peakLumi");
        double duration = fill.child("duration").requiredPositiveSeconds(MAX_SECONDS);
        double peakPileup = fill.child("peakPileup").number(DEFAULT_PEAK_PILEUP, 0.0, MAX_PILEUP);
        Field endField = fill.child("endPileup");
        double endPileup = endField.number(Math.min(DEFAULT_END_PILEUP, peakPileup), 0.0, MAX_PILEUP);
        if (!(endPileup > 0.0) || endPileup > peakPileup) {
            throw endField.invalid("expected 0 < endPileup <= peakPileup (" + peakPileup + "), got " + endPileup);
        }
        Field lumiField = fill.child("peakLumi");
        double peakLumi = lumiField.number(DEFAULT_PEAK_LUMI, 0.0, MAX_LUMI);
        if (!(peakLumi > 0.0)) {
            throw lumiField.invalid("expected a positive luminosity (1e34 cm^-2 s^-1), got " + peakLumi);
        }
        return new FillProfile(peakPileup, endPileup, peakLumi, duration);
    }

    private static DetectorSchedule detector(Field detector, double totalSeconds) {
        DetectorSchedule standard = DetectorSchedule.standard(totalSeconds);
        if (detector.absent()) {
            return standard;
        }
        detector.requireKeys("nominal", "degraded", "period", "degradedFraction");
        String nominal = detector.child("nominal").text(standard.nominalState());
        Field degradedField = detector.child("degraded");
        String degraded = degradedField.text(standard.degradedState());
        if (nominal.equals(degraded)) {
            throw degradedField.invalid("must differ from the nominal state, both are '" + nominal + "'");
        }
        Field periodField = detector.child("period");
        double period = periodField.absent() ? standard.periodSeconds()
                : periodField.requiredPositiveSeconds(MAX_SECONDS);
        double fraction = detector.child("degradedFraction").number(standard.degradedFraction(), 0.0, 1.0);
        return new DetectorSchedule(nominal, degraded, period, fraction);
    }

    private static SignalInjection signal(Field signal, double totalSeconds) {
        Field kindField = signal.child("kind");
        String label = kindField.requiredText();
        SignalKind kind = SignalKind.byLabel(label);
        if (kind == null) {
            StringJoiner known = new StringJoiner(", ");
            for (SignalKind k : SignalKind.values()) {
                known.add(k.label());
            }
            throw kindField.invalid("unknown signal '" + label + "'; expected one of " + known);
        }
        signal.requireKeys("kind", "probability", "start", "end", "mass", "width");
        double probability = signal.child("probability").requiredNumber(0.0, 1.0);
        double[] window = window(signal, totalSeconds);
        double mass = signal.child("mass").number(kind.defaultMass(), kind.minimumMass(), SignalInjection.MAX_MASS);
        double width = signal.child("width").number(kind.defaultWidth(), 0.0, SignalInjection.MAX_WIDTH);
        return new SignalInjection(kind, probability, window[0], window[1], mass, width);
    }

    private static DetectorFault fault(Field fault, double totalSeconds) {
        Field kindField = fault.child("kind");
        String kind = kindField.requiredText();
        switch (kind) {
            case DetectorFault.DeadRegion.KIND -> {
                fault.requireKeys("kind", "start", "end", "etaMin", "etaMax", "phiMin", "phiMax", "objects");
                double[] window = window(fault, totalSeconds);
                double etaMin = fault.child("etaMin").number(DEAD_ETA_MIN, -5.0, 5.0);
                Field etaMaxField = fault.child("etaMax");
                double etaMax = etaMaxField.number(Math.max(DEAD_ETA_MAX, etaMin + 0.1), -5.0, 5.0);
                if (!(etaMax > etaMin)) {
                    throw etaMaxField.invalid("expected etaMax > etaMin (" + etaMin + "), got " + etaMax);
                }
                double phiMin = fault.child("phiMin").number(DEAD_PHI_MIN, -Math.PI, Math.PI);
                Field phiMaxField = fault.child("phiMax");
                double phiMax = phiMaxField.number(Math.min(Math.PI, Math.max(DEAD_PHI_MAX, phiMin + 0.1)),
                        -Math.PI, Math.PI);
                if (!(phiMax > phiMin)) {
                    throw phiMaxField.invalid("expected phiMax > phiMin (" + phiMin + "), got " + phiMax);
                }
                return new DetectorFault.DeadRegion(window[0], window[1], etaMin, etaMax, phiMin, phiMax,
                        collections(fault.child("objects")));
            }
            case DetectorFault.HotChannel.KIND -> {
                fault.requireKeys("kind", "start", "end", "probability", "object", "pt", "eta", "phi");
                double[] window = window(fault, totalSeconds);
                double probability = fault.child("probability").number(HOT_PROBABILITY, 0.0, 1.0);
                ObjectCollection collection = collection(fault.child("object"), HOT_OBJECT);
                double pt = fault.child("pt").number(Math.max(HOT_PT, collection.ptMin()), collection.ptMin(),
                        MAX_OBJECT_PT);
                Field etaField = fault.child("eta");
                double eta = etaField.number(HOT_ETA, -collection.etaMax(), collection.etaMax());
                if (Math.abs(eta) == collection.etaMax()) {
                    throw etaField.invalid("expected |eta| < " + collection.etaMax() + " for " + collection.key());
                }
                double phi = fault.child("phi").number(HOT_PHI, -Math.PI, Math.PI);
                return new DetectorFault.HotChannel(window[0], window[1], probability, collection, pt, eta, phi);
            }
            case DetectorFault.JesDrift.KIND -> {
                fault.requireKeys("kind", "start", "end", "factor");
                double[] window = window(fault, totalSeconds);
                double factor = fault.child("factor").positiveNumber(JES_FACTOR, 10.0, "jet energy scale");
                return new DetectorFault.JesDrift(window[0], window[1], factor);
            }
            case DetectorFault.NoisyMet.KIND -> {
                fault.requireKeys("kind", "start", "end", "sigma");
                double[] window = window(fault, totalSeconds);
                double sigma = fault.child("sigma").positiveNumber(NOISY_MET_SIGMA, 1000.0, "smearing in GeV");
                return new DetectorFault.NoisyMet(window[0], window[1], sigma);
            }
            default -> throw kindField.invalid("unknown fault '" + kind + "'; expected one of "
                    + String.join(", ", DetectorFault.DeadRegion.KIND, DetectorFault.HotChannel.KIND,
                            DetectorFault.JesDrift.KIND, DetectorFault.NoisyMet.KIND));
        }
    }

    /** [start, end) in seconds into the run; both default to the whole run. */
    private static double[] window(Field entry, double totalSeconds) {
        Field startField = entry.child("start");
        double start = startField.absent() ? 0.0 : startField.requiredSeconds(MAX_SECONDS);
        if (start >= totalSeconds) {
            throw startField.invalid("starts at " + start + " s, after the run's end (" + totalSeconds + " s)");
        }
        Field endField = entry.child("end");
        double end = endField.absent() ? totalSeconds : endField.requiredSeconds(MAX_SECONDS);
        if (!(end > start)) {
            throw endField.invalid("ends at " + end + " s, not after its start (" + start + " s)");
        }
        return new double[] {start, end};
    }

    private static Set<ObjectCollection> collections(Field field) {
        if (field.absent()) {
            return EnumSet.allOf(ObjectCollection.class);
        }
        List<Field> entries = field.elements();
        if (entries.isEmpty()) {
            throw field.invalid("expected at least one of " + collectionKeys());
        }
        Set<ObjectCollection> collections = EnumSet.noneOf(ObjectCollection.class);
        for (Field entry : entries) {
            collections.add(collection(entry, null));
        }
        return collections;
    }

    private static ObjectCollection collection(Field field, String fallback) {
        String key = fallback == null ? field.requiredText() : field.text(fallback);
        ObjectCollection collection = ObjectCollection.byKey(key);
        if (collection == null) {
            throw field.invalid("unknown object collection '" + key + "'; expected one of " + collectionKeys());
        }
        return collection;
    }

    private static String collectionKeys() {
        StringJoiner keys = new StringJoiner(", ");
        for (ObjectCollection c : ObjectCollection.values()) {
            keys.add(c.key());
        }
        return keys.toString();
    }

    /** A node of the tree with its path, for typed reads that name the field when they fail. */
    private static final class Field {

        private final JsonNode node;
        private final String path;

        Field(JsonNode node, String path) {
            this.node = node;
            this.path = path;
        }

        boolean absent() {
            return node == null || node.isMissingNode() || node.isNull();
        }

        InvalidScenarioException invalid(String problem) {
            return new InvalidScenarioException(path, problem);
        }

        Field child(String key) {
            if (absent() || !node.isObject()) {
                throw invalid("expected a mapping of keys to values");
            }
            return new Field(node.get(key), path.isEmpty() ? key : path + "." + key);
        }

        /** Fails on the first key that is not one of {@code keys}. */
        void requireKeys(String... keys) {
            if (absent() || !node.isObject()) {
                throw invalid("expected a mapping of keys to values");
            }
            for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
                String name = names.next();
                if (!List.of(keys).contains(name)) {
                    throw child(name).invalid("unknown key; expected one of " + String.join(", ", keys));
                }
            }
        }

        List<Field> elements() {
            List<Field> out = new ArrayList<>();
            if (absent()) {
                return out;
            }
            if (!node.isArray()) {
                throw invalid("expected a list");
            }
            for (int i = 0; i < node.size(); i++) {
                out.add(new Field(node.get(i), path + "[" + i + "]"));
            }
            return out;
        }

        String text(String fallback) {
            if (absent()) {
                return fallback;
            }
            if (!node.isValueNode() || node.asText().isBlank()) {
                throw invalid("expected a non-blank text");
            }
            return node.asText();
        }

        String requiredText() {
            if (absent()) {
                throw invalid("missing");
            }
            return text(null);
        }

        /** YAML 1.1 reads 1e-3 (no dot) as text, so text that is a number counts as one. */
        double number(double fallback, double min, double max) {
            if (absent()) {
                return fallback;
            }
            double value;
            if (node.isNumber()) {
                value = node.asDouble();
            } else if (node.isTextual()) {
                try {
                    value = Double.parseDouble(node.asText().trim());
                } catch (NumberFormatException e) {
                    throw invalid("expected a number, got '" + node.asText() + "'");
                }
            } else {
                throw invalid("expected a number");
            }
            if (!(value >= min && value <= max)) {
                throw invalid("expected a number in [" + min + ", " + max + "], got " + value);
            }
            return value;
        }

        /** A number in (0, max]: {@link #number} admits 0, which a scale or a width cannot be. */
        double positiveNumber(double fallback, double max, String meaning) {
            double value = number(fallback, 0.0, max);
            if (!(value > 0.0)) {
                throw invalid("expected a positive " + meaning + ", got " + value);
            }
            return value;
        }

        double requiredNumber(double min, double max) {
            if (absent()) {
                throw invalid("missing");
            }
            return number(Double.NaN, min, max);
        }

        long integer(long fallback, long min, long max) {
            if (absent()) {
                return fallback;
            }
            if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                throw invalid("expected a whole number");
            }
            long value = node.asLong();
            if (value < min || value > max) {
                throw invalid("expected a whole number in [" + min + ", " + max + "], got " + value);
            }
            return value;
        }

        /** Seconds of event time: a number, or text with a unit (s, m, h), positive and at most {@code max}. */
        double requiredSeconds(double max) {
            if (absent()) {
                throw invalid("missing");
            }
            double seconds;
            if (node.isNumber()) {
                seconds = node.asDouble();
            } else {
                Matcher m = node.isTextual() ? DURATION.matcher(node.asText().trim()) : null;
                if (m == null || !m.matches()) {
                    throw invalid("expected seconds of event time such as 600, 600s, 10m or 0.5h, got '"
                            + node.asText() + "'");
                }
                double unit = switch (m.group(2)) {
                    case "m" -> 60.0;
                    case "h" -> 3600.0;
                    default -> 1.0;
                };
                seconds = Double.parseDouble(m.group(1)) * unit;
            }
            if (!(seconds >= 0.0 && seconds <= max)) {
                throw invalid("expected seconds in [0, " + max + "], got " + seconds);
            }
            return seconds;
        }

        double requiredPositiveSeconds(double max) {
            double seconds = requiredSeconds(max);
            if (!(seconds > 0.0)) {
                throw invalid("expected a positive duration, got " + seconds);
            }
            return seconds;
        }

        long instantNanos(long fallback) {
            if (absent()) {
                return fallback;
            }
            try {
                Instant instant = Instant.parse(node.asText());
                return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
            } catch (DateTimeParseException | ArithmeticException e) {
                throw invalid("expected an ISO-8601 instant such as 2026-05-01T08:00:00Z, got '" + node.asText() + "'");
            }
        }
    }
}

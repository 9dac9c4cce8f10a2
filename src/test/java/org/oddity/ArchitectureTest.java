package org.oddity;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.api.Processor;
import org.oddity.avro.CollisionEvent;
import org.oddity.bundle.BundleReader;
import org.oddity.calibrate.CalibrationTable;
import org.oddity.client.KafkaClientSettings;
import org.oddity.event.FeatureExtractor;
import org.oddity.pipeline.EventScorer;
import org.oddity.score.Scorer;
import org.oddity.topology.StreamsProperties;
import org.oddity.train.ModelTrainer;

/**
 * The architecture of {@code docs/architecture.md}, as rules a change that breaks it fails
 * with the rule's name and reason: dependencies point one way from the commands down to the
 * statistics, no package cycles, Kafka only where it belongs, one scoring path, processors only
 * in the topology. Main classes only; tests may reach across layers.
 */
@AnalyzeClasses(packages = "org.oddity", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** A layer's name and its packages; the list runs from the top (commands) to the bottom (schemas). */
    private record Layer(String name, String... packages) {
    }

    private static final List<Layer> LAYERS = List.of(
            new Layer("commands", "org.oddity.cli.."),
            new Layer("benchmark", "org.oddity.bench.."),
            new Layer("kafka", "org.oddity.topology..", "org.oddity.kafka..", "org.oddity.client..",
                    "org.oddity.web.."),
            new Layer("workflows", "org.oddity.metrics..", "org.oddity.evaluate..", "org.oddity.train.."),
            new Layer("settings", "org.oddity.config.."),
            new Layer("scoring path", "org.oddity.pipeline.."),
            new Layer("bundles", "org.oddity.bundle.."),
            new Layer("monitoring", "org.oddity.monitor.."),
            new Layer("statistics", "org.oddity.score..", "org.oddity.calibrate..", "org.oddity.stats..",
                    "org.oddity.event.."),
            new Layer("data", "org.oddity.sim..", "org.oddity.eventfile.."),
            new Layer("schemas", "org.oddity.avro.."));

    /** Packages that must run without a Kafka client on the class path. */
    private static final String[] KAFKA_FREE = LAYERS.stream()
            .filter(l -> !List.of("commands", "benchmark", "kafka").contains(l.name()))
            .flatMap(l -> Arrays.stream(l.packages())).toArray(String[]::new);

    @ArchTest
    static final ArchRule dependenciesPointDown = layers()
            .because("commands sit at the top, the Kafka topology below them, models and statistics at the bottom"
                    + " (docs/architecture.md)");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("org.oddity.(*)..").should().beFreeOfCycles()
            .because("a package cycle makes two packages one");

    @ArchTest
    static final ArchRule scorerFamiliesStandAlone = slices().matching("org.oddity.score.(*)..")
            .should().notDependOnEachOther()
            .because("adding a model family touches one package and one registry line");

    @ArchTest
    static final ArchRule kafkaOnlyInTheKafkaLayers = noClasses().that().resideInAnyPackage(KAFKA_FREE)
            .should().dependOnClassesThat().resideInAPackage("org.apache.kafka..")
            .because("statistics, scorers, calibration, monitoring, extraction and file readers are plain Java,"
                    + " tested alone");

    @ArchTest
    static final ArchRule commandsOnlyManageLifecycles = noClasses().that().resideInAPackage("org.oddity.cli..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka.clients..",
                    "org.apache.kafka.streams..")
            .because("cli is lifecycle only: consumers, producers and topologies live in kafka and topology");

    @ArchTest
    static final ArchRule simulatorOnlySimulates = noClasses().that().resideInAPackage("org.oddity.sim..")
            .should().dependOnClassesThat().resideInAnyPackage("org.oddity.eventfile..", "org.apache.avro.file..",
                    "io.jhdf..")
            .because("event files are read and written in eventfile; sim simulates and nothing else");

    @ArchTest
    static final ArchRule oneScoringPath = noClasses()
            .that().doNotBelongToAnyOf(EventScorer.class, BundleReader.class)
            .and().resideOutsideOfPackage("org.oddity.score..")
            .should().callMethod(Scorer.class, "score", float[].class)
            .orShould().callMethod(Scorer.class, "scoreBatch", float[].class, int.class, double[].class)
            .orShould().callMethod(CalibrationTable.class, "pValues", int.class, double.class, double.class,
                    boolean.class, double[].class)
            .because("EventScorer is the one place an event is scored and calibrated (the bundle reader scores"
                    + " one vector of zeros to verify a bundle)");

    @ArchTest
    static final ArchRule featuresAreExtractedOnTheScoringPath = noClasses()
            .that().doNotBelongToAnyOf(EventScorer.class, ModelTrainer.class)
            .and().resideOutsideOfPackages("org.oddity.event..", "org.oddity.bundle..")
            .should().callMethod(FeatureExtractor.class, "extract", CollisionEvent.class,
                    float[].class)
            .because("events are turned into features on the scoring path, and by training for its matrix");

    @ArchTest
    static final ArchRule processorsLiveInTheTopology = classes().that().implement(Processor.class)
            .should().resideInAPackage("org.oddity.topology..")
            .because("the topology package holds every Kafka Streams processor");

    @ArchTest
    static final ArchRule kafkaClientsConnectThroughTheClientSettings = classes().that(makeAKafkaClient())
            .should().dependOnClassesThat().belongToAnyOf(KafkaClientSettings.class, StreamsProperties.class)
            .because("every producer, consumer, admin client and Kafka Streams application of oddity connects with the"
                    + " bootstrap servers and kafka.* settings (security, credentials) of KafkaClientSettings");

    @ArchTest
    static final ArchRule kafkaInternalsInOnePlace = noClasses().that().resideInAPackage("org.oddity..")
            .and().doNotHaveFullyQualifiedName("org.oddity.topology.CommitTimeStore")
            .should().dependOnClassesThat().resideInAPackage("org.apache.kafka..internals..")
            .because("Kafka's internals change without notice; CommitTimeStore takes the one hook oddity needs,"
                    + " and the recovery tests watch it");

    /** Classes that construct a Kafka producer, consumer or Streams application, or create an admin client. */
    private static DescribedPredicate<JavaClass> makeAKafkaClient() {
        return DescribedPredicate.describe("make a Kafka client", c -> c.getConstructorCallsFromSelf().stream()
                .map(call -> call.getTargetOwner())
                .anyMatch(owner -> owner.isAssignableTo(KafkaProducer.class)
                        || owner.isAssignableTo(KafkaConsumer.class) || owner.isAssignableTo(KafkaStreams.class))
                || c.getMethodCallsFromSelf().stream().anyMatch(call -> call.getName().equals("create")
                        && call.getTargetOwner().isAssignableTo(Admin.class)));
    }

    private static LayeredArchitecture layers() {
        LayeredArchitecture rule = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (Layer layer : LAYERS) {
            rule = rule.layer(layer.name()).definedBy(layer.packages());
        }
        rule = rule.whereLayer(LAYERS.get(0).name()).mayNotBeAccessedByAnyLayer();
        for (int i = 1; i < LAYERS.size(); i++) {
            String[] above = LAYERS.subList(0, i).stream().map(Layer::name).toArray(String[]::new);
            rule = rule.whereLayer(LAYERS.get(i).name()).mayOnlyBeAccessedByLayers(above);
        }
        return rule;
    }
}

package org.oddity.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.config.OdditySettings;
import org.oddity.config.SettingsSource;

/**
 * deploy/k8s, read into fabric8's typed Kubernetes objects: several oddity instances sharing the input
 * partitions, each with its own persistent work directory, settings oddity accepts from the ConfigMap's file
 * and the Secret's Kafka credentials, probes on the port the container serves, Services and a disruption budget
 * that select the instances, and the model bundle on the volume the training Job writes.
 */
class KubernetesManifestsTest {

    /** How long oddity waits on SIGTERM for Kafka Streams to close before it exits anyway (ShutdownSignal). */
    private static final int ODDITY_SHUTDOWN_SECONDS = 60;

    private static KubernetesManifests manifests;
    private static StatefulSet statefulSet;
    private static PodSpec pod;
    private static Container container;

    @TempDir
    Path temp;

    @BeforeAll
    static void read() throws IOException {
        manifests = KubernetesManifests.read(Path.of("deploy/k8s"));
        statefulSet = manifests.only(StatefulSet.class);
        pod = statefulSet.getSpec().getTemplate().getSpec();
        assertEquals(1, pod.getContainers().size(), "one container per instance");
        container = pod.getContainers().get(0);
    }

    @Test
    void everyManifestIsOneOfOddity() {
        assertEquals(Set.of("StatefulSet", "ConfigMap", "Secret", "Service", "PodDisruptionBudget",
                "PersistentVolumeClaim", "Job"),
                Set.copyOf(manifests.all().stream().map(HasMetadata::getKind).toList()));
        for (HasMetadata resource : manifests.all()) {
            assertEquals("oddity", resource.getMetadata().getLabels().get("app.kubernetes.io/name"),
                    () -> resource.getKind() + " " + resource.getMetadata().getName() + " is labelled as oddity's");
        }
    }

    @Test
    void severalInstancesShareTheInputPartitionsWithStandbyStores() throws IOException {
        int replicas = statefulSet.getSpec().getReplicas();
        assertTrue(replicas >= 2, "several instances: " + replicas);
        assertTrue(podLabels().entrySet().containsAll(statefulSet.getSpec().getSelector().getMatchLabels().entrySet()),
                "the StatefulSet selects its own pods");
        int standbys = settings().streams().standbyReplicas();
        assertTrue(standbys >= 1 && standbys <= replicas - 1,
                () -> "standby replicas " + standbys + " need as many more instances than " + replicas);
    }

    @Test
    void containerRunsOddityRunWithTheConfigMapsSettingsFile() throws IOException {
        OddityCommandLine command = command();
        assertEquals("run", command.subcommand());
        Properties file = new Properties();
        file.load(new StringReader(settingsFile()));
        for (String key : file.stringPropertyNames()) {
            assertTrue(DeploySettings.keys().contains(key) || DeploySettings.isKafkaClientSetting(key),
                    () -> "the ConfigMap sets " + key + ", which is no oddity setting");
        }
        // The environment wins over the file: a key it also sets would be there for nothing, and mislead.
        Set<String> fromEnvironment = Set.copyOf(environment().keySet());
        for (String key : file.stringPropertyNames()) {
            assertFalse(fromEnvironment.contains(SettingsSource.envName(key)),
                    () -> key + " in the ConfigMap is overridden by the image's or the container's environment");
        }
        assertEquals("oddity", settings().streams().applicationId());
        assertFalse(settingsFile().toLowerCase(Locale.ROOT).contains("password"),
                "credentials belong in the Secret, not the ConfigMap");
    }

    @Test
    void kafkaCredentialsComeFromTheSecretAsKafkaClientSettings() {
        Map<String, String> fromSecret = new TreeMap<>();
        for (EnvVar variable : container.getEnv()) {
            if (variable.getValueFrom() == null || variable.getValueFrom().getSecretKeyRef() == null) {
                continue;
            }
            SecretKeySelector ref = variable.getValueFrom().getSecretKeyRef();
            String key = ref.getKey();
            assertEquals(SettingsSource.envName(key), variable.getName(), "the Secret's key is the setting's name");
            assertTrue(DeploySettings.keys().contains(key) || DeploySettings.isKafkaClientSetting(key),
                    () -> key + " is neither an oddity setting nor kafka. and a Kafka client setting");
            fromSecret.put(key, secretValue(ref));
        }
        assertEquals(Set.of("kafka.security.protocol", "kafka.sasl.mechanism", "kafka.sasl.jaas.config"),
                fromSecret.keySet());
        SecurityProtocol protocol = SecurityProtocol.forName(fromSecret.get("kafka.security.protocol"));
        assertTrue(protocol.name().startsWith("SASL_"), "a SASL protocol, since a SASL login is configured");
        String mechanism = fromSecret.get("kafka.sasl.mechanism");
        assertTrue(Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER", "GSSAPI").contains(mechanism),
                "a SASL mechanism Kafka knows: " + mechanism);
        // Parsed as the Kafka client parses it; the login module must exist.
        List<AppConfigurationEntry> entries = JaasContext.loadClientContext(Map.of(SaslConfigs.SASL_JAAS_CONFIG,
                new Password(fromSecret.get("kafka.sasl.jaas.config")))).configurationEntries();
        assertEquals(1, entries.size());
        String module = entries.get(0).getLoginModuleName();
        assertTrue(module.contains(mechanism.startsWith("SCRAM") ? "scram" : mechanism.toLowerCase(Locale.ROOT)),
                () -> "login module " + module + " for mechanism " + mechanism);
        assertNotNull(assertClass(module));
    }

    @Test
    void probesAskHealthAndReadinessOnThePortTheContainerServes() throws IOException {
        OdditySettings settings = settings();
        assertEquals("0.0.0.0", settings.metrics().host(), "the kubelet and Prometheus reach the endpoint");
        assertEquals("/health", container.getLivenessProbe().getHttpGet().getPath());
        assertEquals("/ready", container.getReadinessProbe().getHttpGet().getPath());
        for (Probe probe : List.of(container.getLivenessProbe(), container.getReadinessProbe(),
                container.getStartupProbe())) {
            assertEquals(settings.metrics().port(), containerPort(probe.getHttpGet().getPort()),
                    "the probe asks the port oddity serves");
        }
        assertEquals("/health", container.getStartupProbe().getHttpGet().getPath());
    }

    @Test
    void workDirectoryIsEachInstancesOwnPersistentVolume() throws IOException {
        List<PersistentVolumeClaim> templates = statefulSet.getSpec().getVolumeClaimTemplates();
        assertEquals(1, templates.size());
        PersistentVolumeClaim work = templates.get(0);
        assertEquals(List.of("ReadWriteOnce"), work.getSpec().getAccessModes());
        assertEquals(settings().workDir().toString(), mountPath(work.getMetadata().getName()),
                "the state stores and work.dir/instance-id are on the claim, so they survive restarts");
    }

    @Test
    void modelBundleIsOnTheSharedVolumeTheTrainingJobWrites() throws IOException {
        Path bundle = settings().modelBundle();
        VolumeMount models = container.getVolumeMounts().stream().filter(m -> bundle.startsWith(m.getMountPath()))
                .findFirst().orElseThrow(() -> new AssertionError("the bundle " + bundle + " is on no volume"));
        assertTrue(models.getReadOnly(), "instances only read bundles");
        String claim = volume(pod, models.getName()).getPersistentVolumeClaim().getClaimName();
        PersistentVolumeClaim shared = manifests.named(PersistentVolumeClaim.class, claim)
                .orElseThrow(() -> new AssertionError("no PersistentVolumeClaim " + claim));
        assertEquals(List.of("ReadWriteMany"), shared.getSpec().getAccessModes(), "pods on several nodes mount it");

        Job job = manifests.only(Job.class);
        PodSpec jobPod = job.getSpec().getTemplate().getSpec();
        Container train = jobPod.getContainers().get(0);
        OddityCommandLine command = OddityCommandLine.parse(train.getArgs());
        assertEquals("train", command.subcommand());
        assertEquals(bundle, command.option("--output"), "the Job writes the bundle the instances load");
        VolumeMount written = train.getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals(models.getMountPath()))
                .findFirst().orElseThrow(() -> new AssertionError("the Job does not mount " + models.getMountPath()));
        assertEquals(claim, volume(jobPod, written.getName()).getPersistentVolumeClaim().getClaimName());
        assertEquals(statefulSet.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser(),
                jobPod.getSecurityContext().getRunAsUser(), "the bundle's files belong to the user that reads them");
    }

    @Test
    void servicesSelectTheInstancesAndTargetAPortTheyServe() throws IOException {
        Map<String, String> jobLabels = manifests.only(Job.class).getSpec().getTemplate().getMetadata().getLabels();
        for (Service service : manifests.all(Service.class)) {
            Map<String, String> selector = service.getSpec().getSelector();
            assertFalse(selector.isEmpty());
            assertTrue(podLabels().entrySet().containsAll(selector.entrySet()),
                    () -> service.getMetadata().getName() + " selects the oddity pods");
            assertFalse(jobLabels.entrySet().containsAll(selector.entrySet()),
                    () -> service.getMetadata().getName() + " leaves the training Job's pod out");
            for (ServicePort port : service.getSpec().getPorts()) {
                assertEquals(settings().metrics().port(), containerPort(port.getTargetPort()));
                assertEquals(settings().metrics().port(), port.getPort());
            }
        }
        Service headless = manifests.named(Service.class, statefulSet.getSpec().getServiceName())
                .orElseThrow(() -> new AssertionError("no Service " + statefulSet.getSpec().getServiceName()));
        assertEquals("None", headless.getSpec().getClusterIP(), "the StatefulSet's governing Service is headless");
        assertTrue(headless.getSpec().getPublishNotReadyAddresses(), "instances not ready are still scraped");
        assertTrue(manifests.named(Service.class, "oddity-metrics").isPresent(), "a Service of the metrics endpoint");
    }

    @Test
    void disruptionBudgetKeepsAnInstanceScoring() {
        PodDisruptionBudget budget = manifests.only(PodDisruptionBudget.class);
        assertTrue(podLabels().entrySet().containsAll(budget.getSpec().getSelector().getMatchLabels().entrySet()));
        IntOrString maxUnavailable = budget.getSpec().getMaxUnavailable();
        assertTrue(maxUnavailable.getIntVal() < statefulSet.getSpec().getReplicas(), "a drain leaves one running");
    }

    @Test
    void shutdownHasTimeForKafkaStreamsToClose() {
        assertTrue(pod.getTerminationGracePeriodSeconds() > ODDITY_SHUTDOWN_SECONDS,
                "the pod is killed only after oddity's own wait for a clean close");
    }

    @Test
    void memoryIsBoundedAndTheHeapLeavesRoomForRocksDb() {
        Quantity request = container.getResources().getRequests().get("memory");
        Quantity limit = container.getResources().getLimits().get("memory");
        assertNotNull(request);
        assertEquals(request, limit, "guaranteed memory: no eviction under node pressure");
        String javaOptions = container.getEnv().stream().filter(v -> v.getName().equals(DeploySettings.JAVA_OPTS))
                .map(EnvVar::getValue).findFirst().orElseThrow();
        Matcher percent = Pattern.compile("MaxRAMPercentage=([0-9.]+)").matcher(javaOptions);
        assertTrue(percent.find(), "the heap is sized from the limit: " + javaOptions);
        assertTrue(Double.parseDouble(percent.group(1)) <= 70, "state stores live outside the heap: " + javaOptions);
    }

    @Test
    void prometheusExampleScrapesEveryPodOfTheHeadlessService() throws IOException {
        JsonNode config = new YAMLMapper().readTree(Path.of("deploy/prometheus/prometheus-k8s.yml").toFile());
        JsonNode discovery = config.path("scrape_configs").get(0).path("dns_sd_configs").get(0);
        String name = discovery.path("names").get(0).asText();
        assertEquals(statefulSet.getSpec().getServiceName(), name.split("\\.")[0], "the headless Service's records");
        assertEquals(settings().metrics().port(), discovery.path("port").asInt());
    }

    private static Map<String, String> podLabels() {
        return statefulSet.getSpec().getTemplate().getMetadata().getLabels();
    }

    private static OddityCommandLine command() {
        return OddityCommandLine.parse(container.getArgs());
    }

    /** The settings file --config names: the ConfigMap key mounted there. */
    private static String settingsFile() {
        Path file = command().configFile();
        assertNotNull(file, "the settings come in a file");
        VolumeMount mount = container.getVolumeMounts().stream()
                .filter(m -> file.getParent().equals(Path.of(m.getMountPath()))).findFirst()
                .orElseThrow(() -> new AssertionError("nothing is mounted at " + file.getParent()));
        String name = volume(pod, mount.getName()).getConfigMap().getName();
        ConfigMap map = manifests.named(ConfigMap.class, name)
                .orElseThrow(() -> new AssertionError("no ConfigMap " + name));
        String content = map.getData().get(file.getFileName().toString());
        assertNotNull(content, () -> "ConfigMap " + name + " has no key " + file.getFileName());
        return content;
    }

    /**
     * The settings an instance starts with: the image's environment, the container's (the Secret's values in
     * place), the ConfigMap's file and the command line, validated as oddity does.
     */
    private OdditySettings settings() throws IOException {
        Map<String, String> env = environment();
        assertEquals(List.of(), List.copyOf(DeploySettings.unknownVariables(env.keySet())));
        Path file = Files.writeString(temp.resolve("oddity.properties"), settingsFile());
        return DeploySettings.validated(file, env, command().settingOverrides());
    }

    /** The container's environment: the image's, then the container's own, the Secret's values in place. */
    private static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>(Dockerfile.read(Path.of("Dockerfile")).finalStage().env());
        for (EnvVar variable : container.getEnv()) {
            env.put(variable.getName(), variable.getValue() != null ? variable.getValue()
                    : secretValue(variable.getValueFrom().getSecretKeyRef()));
        }
        return env;
    }

    private static String secretValue(SecretKeySelector ref) {
        Secret secret = manifests.named(Secret.class, ref.getName())
                .orElseThrow(() -> new AssertionError("no Secret " + ref.getName()));
        if (secret.getStringData() != null && secret.getStringData().containsKey(ref.getKey())) {
            return secret.getStringData().get(ref.getKey());
        }
        String encoded = secret.getData() == null ? null : secret.getData().get(ref.getKey());
        assertNotNull(encoded, () -> "Secret " + ref.getName() + " has no key " + ref.getKey());
        return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }

    /** The number of the container port {@code port} names (by name or number); fails if it declares none such. */
    private static int containerPort(IntOrString port) {
        return container.getPorts().stream()
                .filter(p -> port.getIntVal() != null ? port.getIntVal().equals(p.getContainerPort())
                        : port.getStrVal().equals(p.getName()))
                .map(ContainerPort::getContainerPort).findFirst()
                .orElseThrow(() -> new AssertionError("the container declares no port " + port));
    }

    private static String mountPath(String volume) {
        return container.getVolumeMounts().stream().filter(m -> m.getName().equals(volume))
                .map(VolumeMount::getMountPath)
                .findFirst().orElseThrow(() -> new AssertionError("volume " + volume + " is not mounted"));
    }

    private static Volume volume(PodSpec spec, String name) {
        return spec.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    private static Class<?> assertClass(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new AssertionError("no class " + name + " on the Kafka client's class path", e);
        }
    }
}

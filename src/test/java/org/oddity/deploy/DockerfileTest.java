package org.oddity.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.oddity.config.OdditySettings;
import org.oddity.deploy.Dockerfile.Instruction;
import org.oddity.deploy.Dockerfile.Stage;

/**
 * The Dockerfile, checked without Docker (none runs here): it builds from files that exist and that
 * .dockerignore sends, including everything the pom's build reads; the image runs the jar the build stage makes,
 * as a non-root user, with valid oddity settings, its work directory on a volume, the metrics port exposed and
 * {@code oddity run} as its default command.
 */
class DockerfileTest {

    private static final Dockerfile DOCKERFILE = Dockerfile.read(Path.of("Dockerfile"));

    @Test
    void buildsWithMavenAndRunsOnAJre() {
        List<Stage> stages = DOCKERFILE.stages();
        assertEquals(2, stages.size(), "a build stage and a run stage");
        assertEquals("maven:3-eclipse-temurin-17", stages.get(0).image());
        assertEquals("eclipse-temurin:17-jre", DOCKERFILE.finalStage().image());
        assertTrue(stages.get(0).all("RUN").stream()
                .anyMatch(run -> run.arguments().matches(".*\\bmvn\\b.*\\bpackage\\b.*")),
                "the build stage runs mvn package");
    }

    @Test
    void copiesOnlyFilesThatExistAndThatTheBuildContextSends() throws IOException {
        List<String> ignore = Files.readAllLines(Path.of(".dockerignore"));
        for (Stage stage : DOCKERFILE.stages()) {
            for (Instruction copy : copies(stage)) {
                if (copy.flag("from").isPresent()) {
                    continue;
                }
                for (String source : sources(copy)) {
                    assertTrue(Files.exists(Path.of(source)), () -> "COPY of a missing path: " + copy);
                    assertTrue(sent(ignore, source), () -> ".dockerignore leaves " + source + " out of the context");
                }
            }
        }
        assertFalse(sent(ignore, "target/oddity.jar"), "a local build's output stays out of the context");
        assertFalse(sent(ignore, "work/demo"), "the work directory stays out of the context");
    }

    @Test
    void buildStageHasEverythingThePomBuildReads() throws IOException {
        Stage build = DOCKERFILE.stages().get(0);
        List<String> copied = copies(build).stream().flatMap(c -> sources(c).stream()).toList();
        List<String> read = new ArrayList<>(List.of("pom.xml"));
        Matcher directories = Pattern.compile("<(?:directory|sourceDirectory)>(?:\\$\\{project\\.basedir}/)?([^<$]+)<")
                .matcher(Files.readString(Path.of("pom.xml")));
        while (directories.find()) {
            read.add(directories.group(1));
        }
        assertTrue(read.contains("avro-schemas"), "the pom's directories were found: " + read);
        for (String path : read) {
            assertTrue(copied.stream().anyMatch(c -> path.equals(c) || path.startsWith(c + "/")),
                    () -> "the pom reads " + path + ", which the build stage does not copy (it copies " + copied + ")");
        }
        for (Instruction copy : copies(build)) {
            String destination = destination(copy);
            assertTrue(destination.equals("./") || sources(copy).equals(List.of(destination)),
                    () -> "the build stage keeps the project's layout: " + copy);
        }
    }

    @Test
    void imageRunsTheJarTheBuildStageMakes() throws IOException {
        Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(finalName.find(), "the shade plugin names the jar");
        Stage build = DOCKERFILE.stages().get(0);
        String workDir = build.last("WORKDIR").orElseThrow().arguments();
        String jar = workDir + "/target/" + finalName.group(1) + ".jar";
        Instruction copy = copies(DOCKERFILE.finalStage()).stream()
                .filter(c -> c.flag("from").equals(Optional.of(build.name()))).findFirst()
                .orElseThrow(() -> new AssertionError("the run stage copies nothing from the build stage"));
        assertEquals(List.of(jar), sources(copy), "the build stage's jar is what the run stage takes");
        String entrypoint = String.join(" ", DOCKERFILE.finalStage().last("ENTRYPOINT").orElseThrow().execForm());
        assertTrue(entrypoint.contains("java ") && entrypoint.contains("-jar " + destination(copy)),
                () -> "the entry point runs " + destination(copy) + ": " + entrypoint);
        assertTrue(entrypoint.contains("exec java"), "the JVM replaces the shell, so SIGTERM reaches it");
        assertTrue(entrypoint.contains("\"$@\""), "the command's arguments reach oddity");
        assertTrue(entrypoint.contains("$" + DeploySettings.JAVA_OPTS), "JVM options come from ODDITY_JAVA_OPTS");
    }

    @Test
    void runsAsANumericNonRootUser() {
        String user = DOCKERFILE.finalStage().last("USER").orElseThrow(() -> new AssertionError("no USER")).arguments();
        String uid = user.split(":")[0];
        // Kubernetes' runAsNonRoot can only check a numeric user.
        assertTrue(uid.matches("[0-9]+"), "numeric uid: " + user);
        assertTrue(Integer.parseInt(uid) > 0, "not root: " + user);
    }

    @Test
    void defaultCommandIsOddityRunWithValidSettingsFromTheEnvironment() {
        Stage image = DOCKERFILE.finalStage();
        OddityCommandLine command = OddityCommandLine.parse(image.last("CMD").orElseThrow().execForm());
        assertEquals("run", command.subcommand());
        assertEquals(List.of(), List.copyOf(DeploySettings.unknownVariables(image.env().keySet())),
                "every ODDITY_* variable of the image is a setting");
        OdditySettings settings =
                DeploySettings.validated(command.configFile(), image.env(), command.settingOverrides());
        assertEquals("0.0.0.0", settings.metrics().host(), "the endpoint answers from outside the container");
        List<String> exposed = image.all("EXPOSE").stream().flatMap(e -> e.operands().stream()).toList();
        assertTrue(exposed.contains(Integer.toString(settings.metrics().port())),
                () -> "EXPOSE " + exposed + " has the metrics port " + settings.metrics().port());
        String workDir = settings.workDir().toString();
        assertTrue(image.last("VOLUME").orElseThrow().execForm().contains(workDir),
                () -> "the work directory " + workDir + " is a volume");
        assertEquals(workDir, image.last("WORKDIR").orElseThrow().arguments());
    }

    private static List<Instruction> copies(Stage stage) {
        List<Instruction> copies = new ArrayList<>(stage.all("COPY"));
        copies.addAll(stage.all("ADD"));
        return copies;
    }

    private static List<String> sources(Instruction copy) {
        List<String> operands = copy.operands();
        return operands.subList(0, operands.size() - 1);
    }

    private static String destination(Instruction copy) {
        List<String> operands = copy.operands();
        return operands.get(operands.size() - 1);
    }

    /**
     * Whether the build context holds {@code path}, by .dockerignore's rules: the last pattern that matches the
     * path or a directory above it decides, and "!" lets back in.
     */
    private static boolean sent(List<String> ignore, String path) {
        boolean sent = true;
        for (String line : ignore) {
            String pattern = line.trim();
            if (pattern.isEmpty() || pattern.startsWith("#")) {
                continue;
            }
            boolean exception = pattern.startsWith("!");
            PathMatcher matcher =
                    FileSystems.getDefault().getPathMatcher("glob:" + (exception ? pattern.substring(1) : pattern));
            for (Path p = Path.of(path); p != null; p = p.getParent()) {
                if (matcher.matches(p)) {
                    sent = exception;
                    break;
                }
            }
        }
        return sent;
    }
}

package org.oddity.deploy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An offline validator run as a child process in the project directory (promtool, docker-compose). Where it is
 * not installed the test is skipped rather than failed: {@code .ci/run} installs both, a developer may not.
 */
final class ExternalTool {

    /** What a run of the tool gave: its exit code and its output, stdout and stderr together. */
    record Result(int exitCode, String output) {
    }

    private static final long TIMEOUT_SECONDS = 120;

    private ExternalTool() {
    }

    /** Skips the calling test unless {@code name} is an executable on the PATH. */
    static void assumeInstalled(String name) {
        assumeTrue(installed(name), name + " is not installed (Debian: apt-get install "
                + (name.equals("promtool") ? "prometheus" : name) + ")");
    }

    private static boolean installed(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Arrays.stream(path.split(File.pathSeparator)).filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name)).anyMatch(Files::isExecutable);
    }

    /** Runs {@code command} to its end (at most two minutes) and returns its exit code and output. */
    static Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        // The outputs here are a few lines, so reading them whole before waiting cannot block the child.
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(command + " did not finish in " + TIMEOUT_SECONDS + " s:\n" + output);
        }
        return new Result(process.exitValue(), output);
    }
}

package org.oddity.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --output}, the directory of the bundle that train and import-onnx write. */
final class NewBundleOption {

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Bundle directory to write.")
    Path directory;
}

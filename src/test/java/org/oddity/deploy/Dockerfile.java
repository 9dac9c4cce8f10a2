package org.oddity.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Dockerfile read into build stages and instructions, as Docker reads it: comment lines dropped, continued
 * lines joined. Enough to check what an image copies, sets and runs without building it.
 */
final class Dockerfile {

    /** One instruction: its keyword, upper case, and its arguments as written. */
    record Instruction(String keyword, String arguments) {

        /** The arguments of the exec (JSON array) form, e.g. CMD ["run"]. */
        List<String> execForm() {
            try {
                return new ObjectMapper().readValue(arguments, new TypeReference<List<String>>() { });
            } catch (IOException e) {
                throw new IllegalArgumentException(keyword + " is not in exec form: " + arguments, e);
            }
        }

        /** The arguments split at unquoted white space, quotes removed: flags, then sources and destination. */
        List<String> words() {
            List<String> words = new ArrayList<>();
            StringBuilder word = new StringBuilder();
            char quote = 0;
            for (char c : arguments.toCharArray()) {
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    } else {
                        word.append(c);
                    }
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else if (Character.isWhitespace(c)) {
                    if (word.length() > 0) {
                        words.add(word.toString());
                        word.setLength(0);
                    }
                } else {
                    word.append(c);
                }
            }
            if (word.length() > 0) {
                words.add(word.toString());
            }
            return words;
        }

        /** The value of flag {@code --name=value}, if given, e.g. COPY --from=build. */
        Optional<String> flag(String name) {
            String prefix = "--" + name + "=";
            return words().stream().filter(w -> w.startsWith(prefix)).map(w -> w.substring(prefix.length()))
                    .findFirst();
        }

        /** The words after the flags. */
        List<String> operands() {
            return words().stream().dropWhile(w -> w.startsWith("--")).toList();
        }
    }

    /**
     * One build stage.
     *
     * @param image        the image it starts from
     * @param name         its name (FROM ... AS name), or empty
     * @param instructions the instructions after FROM
     */
    record Stage(String image, String name, List<Instruction> instructions) {

        /** Every instruction with {@code keyword}, in order. */
        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        /** The instruction with {@code keyword} that takes effect: the last one. */
        Optional<Instruction> last(String keyword) {
            List<Instruction> all = all(keyword);
            return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
        }

        /** The environment its ENV instructions set (KEY=VALUE pairs, or the older KEY VALUE form). */
        Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            for (Instruction i : all("ENV")) {
                List<String> words = i.words();
                if (!words.get(0).contains("=")) {
                    env.put(words.get(0), i.arguments().substring(words.get(0).length()).trim());
                    continue;
                }
                for (String pair : words) {
                    int eq = pair.indexOf('=');
                    env.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
            return env;
        }
    }

    private final List<Stage> stages;

    private Dockerfile(List<Stage> stages) {
        this.stages = stages;
    }

    /** Reads {@code file}. */
    static Dockerfile read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.length() == 0)) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String text = current.toString().trim();
            current.setLength(0);
            if (text.isEmpty()) {
                continue;
            }
            int space = text.indexOf(' ');
            instructions.add(new Instruction(text.substring(0, space).toUpperCase(Locale.ROOT),
                    text.substring(space + 1).trim()));
        }
        List<Stage> stages = new ArrayList<>();
        // ARG before the first FROM only parameterizes the FROM lines.
        for (Instruction i : instructions) {
            if (i.keyword().equals("FROM")) {
                List<String> words = i.operands();
                String name = words.size() == 3 && words.get(1).equalsIgnoreCase("AS") ? words.get(2) : "";
                stages.add(new Stage(words.get(0), name, new ArrayList<>()));
            } else if (stages.isEmpty() && !i.keyword().equals("ARG")) {
                throw new IllegalArgumentException(file + ": " + i.keyword() + " before the first FROM");
            } else if (!stages.isEmpty()) {
                stages.get(stages.size() - 1).instructions().add(i);
            }
        }
        return new Dockerfile(stages);
    }

    /** The build stages in order. */
    List<Stage> stages() {
        return stages;
    }

    /** The stage that makes the image. */
    Stage finalStage() {
        return stages.get(stages.size() - 1);
    }

    /** The stage named {@code name}. */
    Optional<Stage> stage(String name) {
        return stages.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}

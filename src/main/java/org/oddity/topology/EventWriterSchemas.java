package org.oddity.topology;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityResult;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaParseException;
import org.oddity.avro.CollisionEvent;
import org.oddity.config.InvalidSettingException;

/**
 * The {@code CollisionEvent} writer schemas of setting {@code events.writer-schemas}: one
 * {@code .avsc} file each, for publishers that moved to a newer event schema before this build
 * of oddity knew it. Without a schema registry, this is how a reader learns a writer schema.
 * Each must be one Avro schema Avro's resolution can read as the current {@code CollisionEvent}
 * (fields added with defaults, fields removed, promotions): one it cannot would turn every event
 * of that publisher into a dead letter, so it stops the start-up instead, with Avro's reason.
 */
public final class EventWriterSchemas {

    static final String KEY = "events.writer-schemas";

    private EventWriterSchemas() {
    }

    /** The schemas in {@code dir}, in file-name order; none if {@code dir} is null. */
    public static List<Schema> load(Path dir) {
        List<Schema> schemas = new ArrayList<>();
        if (dir == null) {
            return schemas;
        }
        for (Path file : files(dir)) {
            Schema writer = parse(file);
            if (!writer.getFullName().equals(CollisionEvent.getClassSchema().getFullName())) {
                throw new InvalidSettingException(KEY, file.toString(), "is a schema of " + writer.getFullName()
                        + ", expected " + CollisionEvent.getClassSchema().getFullName());
            }
            SchemaCompatibilityResult result = SchemaCompatibility
                    .checkReaderWriterCompatibility(CollisionEvent.getClassSchema(), writer).getResult();
            if (result.getCompatibility() != SchemaCompatibilityType.COMPATIBLE) {
                Incompatibility first = result.getIncompatibilities().get(0);
                throw new InvalidSettingException(KEY, file.toString(), "cannot be read as CollisionEvent: "
                        + first.getMessage() + " at " + first.getLocation());
            }
            schemas.add(writer);
        }
        return schemas;
    }

    private static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidSettingException(KEY, dir.toString(), "expected a directory of .avsc files");
        }
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.filter(file -> file.getFileName().toString().endsWith(".avsc")).sorted().toList();
        } catch (IOException e) {
            throw new InvalidSettingException(KEY, dir.toString(), "cannot list it: " + e.getMessage());
        }
    }

    private static Schema parse(Path file) {
        try {
            return new Schema.Parser().parse(file.toFile());
        } catch (IOException | SchemaParseException e) {
            throw new InvalidSettingException(KEY, file.toString(), "not an Avro schema: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}

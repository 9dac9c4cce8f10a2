package org.oddity.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The manifests of a directory (every document of every *.yaml file), read into fabric8's typed Kubernetes
 * objects. A field fabric8 does not know, a typo the API server would refuse, is an error here too.
 */
final class KubernetesManifests {

    private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

    private final List<HasMetadata> resources;

    private KubernetesManifests(List<HasMetadata> resources) {
        this.resources = resources;
    }

    /** Reads every *.yaml file of {@code directory}. */
    static KubernetesManifests read(Path directory) throws IOException {
        KubernetesSerialization serialization = new KubernetesSerialization();
        List<HasMetadata> resources = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        for (Path file : files) {
            try (MappingIterator<JsonNode> documents =
                    new YAMLMapper().readerFor(JsonNode.class).readValues(file.toFile())) {
                for (JsonNode document : documents.readAll()) {
                    HasMetadata resource = serialization.unmarshal(document.toString(), HasMetadata.class);
                    List<String> unknown = new ArrayList<>();
                    unknownFields(resource, resource.getKind() + " " + resource.getMetadata().getName(), unknown);
                    if (!unknown.isEmpty()) {
                        throw new IllegalArgumentException(file + ": fields Kubernetes does not know: " + unknown);
                    }
                    resources.add(resource);
                }
            }
        }
        return new KubernetesManifests(resources);
    }

    /** Every resource read. */
    List<HasMetadata> all() {
        return resources;
    }

    /** Every resource of {@code type}. */
    <T extends HasMetadata> List<T> all(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The resource of {@code type} named {@code name}, if any. */
    <T extends HasMetadata> Optional<T> named(Class<T> type, String name) {
        return all(type).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst();
    }

    /** The only resource of {@code type}. */
    <T extends HasMetadata> T only(Class<T> type) {
        List<T> all = all(type);
        if (all.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + ", found " + all.size());
        }
        return all.get(0);
    }

    /**
     * Adds to {@code found} the path of every field fabric8 kept aside as unknown (its additionalProperties),
     * walking the model objects through their getters.
     */
    private static void unknownFields(Object value, String path, List<String> found) {
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", found);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> unknownFields(item, path + "." + key, found));
            return;
        }
        if (value == null || !value.getClass().getName().startsWith(MODEL_PACKAGE)) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class || !getter.getName().startsWith("get")) {
                continue;
            }
            Object field = invoke(getter, value);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(key -> found.add(path + "." + key));
                }
            } else {
                unknownFields(field, path + "." + getter.getName().substring(3), found);
            }
        }
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + getter, e);
        }
    }
}

package org.oddity.score.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensors an ONNX model declares, in model order, so that an import can pick defaults and
 * name the alternatives when a flag names a tensor the model lacks.
 *
 * @param inputs  input tensors by name
 * @param outputs output tensors by name
 */
public record OnnxSignature(Map<String, Tensor> inputs, Map<String, Tensor> outputs) {

    /** Marks a dimension whose size is only known at run time (a symbolic batch dimension). */
    public static final long DYNAMIC = -1;

    /**
     * One declared value.
     *
     * @param type  element type as ONNX Runtime's Java API names it (e.g. {@code FLOAT}), or
     *              {@code NOT_A_TENSOR} for maps and sequences
     * @param shape dimensions, {@link #DYNAMIC} where set at run time; empty for a non-tensor
     */
    public record Tensor(String type, List<Long> shape) {

        static final String NOT_A_TENSOR = "NOT_A_TENSOR";

        boolean isFloat() {
            return "FLOAT".equals(type);
        }
    }

    /** Copies the maps, keeping their order. */
    public OnnxSignature {
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    }

    /**
     * Reads the signature of the serialized model {@code model}.
     *
     * @throws IOException if ONNX Runtime cannot load the model
     */
    public static OnnxSignature of(byte[] model) throws IOException {
        try (OnnxScorer.NativeSession session = OnnxScorer.open(model, 1, 1)) {
            return of(session.session());
        } catch (OrtException e) {
            throw new IOException("ONNX Runtime cannot describe the model: " + e.getMessage(), e);
        }
    }

    static OnnxSignature of(OrtSession session) throws OrtException {
        return new OnnxSignature(tensors(session.getInputInfo()), tensors(session.getOutputInfo()));
    }

    private static Map<String, Tensor> tensors(Map<String, NodeInfo> nodes) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (NodeInfo node : nodes.values()) {
            ValueInfo info = node.getInfo();
            tensors.put(node.getName(), info instanceof TensorInfo t
                    ? new Tensor(t.type.name(), Arrays.stream(t.getShape()).boxed().toList())
                    : new Tensor(Tensor.NOT_A_TENSOR, List.of()));
        }
        return tensors;
    }
}

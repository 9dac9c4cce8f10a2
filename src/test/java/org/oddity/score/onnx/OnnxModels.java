package org.oddity.score.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnx.proto.OnnxMl.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Small dense ONNX models built in Java with ONNX's protobuf classes, for tests and benchmarks:
 * MatMul + Add (+ Relu) layers from an input {@code x} of shape [N, d], with the same network
 * computed in plain Java to check ONNX Runtime against.
 */
public final class OnnxModels {

    /** Name of every model's input tensor. */
    public static final String INPUT = "x";
    /** A batch dimension set at run time. */
    public static final long DYNAMIC_BATCH = -1;

    private OnnxModels() {
    }

    /**
     * A dense layer y = x W + b, then ReLU if {@code relu}.
     *
     * @param weights {@code weights[i][j]} joins input i to output j
     */
    public record Dense(float[][] weights, float[] bias, boolean relu) {

        public int inputs() {
            return weights.length;
        }

        public int outputs() {
            return bias.length;
        }

        /** This layer applied to {@code x} in plain Java, in double precision. */
        public double[] apply(double[] x) {
            double[] y = new double[outputs()];
            for (int j = 0; j < outputs(); j++) {
                double sum = bias[j];
                for (int i = 0; i < inputs(); i++) {
                    sum += x[i] * weights[i][j];
                }
                y[j] = relu ? Math.max(0, sum) : sum;
            }
            return y;
        }

        /** A layer with weights uniform in ±1/sqrt(inputs) and biases in ±0.1, drawn from {@code random}. */
        public static Dense random(int inputs, int outputs, boolean relu, SplittableRandom random) {
            float[][] w = new float[inputs][outputs];
            double scale = 1 / Math.sqrt(inputs);
            for (float[] row : w) {
                for (int j = 0; j < outputs; j++) {
                    row[j] = (float) (scale * (2 * random.nextDouble() - 1));
                }
            }
            float[] b = new float[outputs];
            for (int j = 0; j < outputs; j++) {
                b[j] = (float) (0.1 * (2 * random.nextDouble() - 1));
            }
            return new Dense(w, b, relu);
        }
    }

    /** The network's output for one row, in plain Java. */
    public static double[] forward(List<Dense> layers, float[] row) {
        double[] x = new double[row.length];
        for (int i = 0; i < row.length; i++) {
            x[i] = row[i];
        }
        for (Dense layer : layers) {
            x = layer.apply(x);
        }
        return x;
    }

    /** A dense autoencoder of seeded random layers of the given widths, ReLU between them, linear at the end. */
    public static List<Dense> autoencoder(long seed, int... widths) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Dense> layers = new ArrayList<>();
        for (int k = 0; k + 1 < widths.length; k++) {
            layers.add(Dense.random(widths[k], widths[k + 1], k + 2 < widths.length, random));
        }
        return layers;
    }

    /** The serialized model of {@code layers}, input {@code x} of shape [N, d], output {@code output} [N, width]. */
    public static byte[] network(String output, List<Dense> layers) {
        return network(output, layers, DYNAMIC_BATCH, false);
    }

    /**
     * The serialized model of {@code layers}.
     *
     * @param output  name of the output tensor
     * @param batch   the declared batch dimension, {@link #DYNAMIC_BATCH} for a symbolic one
     * @param squeeze whether a last layer of width 1 is squeezed to shape [N]
     */
    public static byte[] network(String output, List<Dense> layers, long batch, boolean squeeze) {
        GraphProto.Builder graph = GraphProto.newBuilder().setName("oddity-test");
        int inputs = layers.get(0).inputs();
        int width = layers.get(layers.size() - 1).outputs();
        graph.addInput(floatValue(INPUT, batch, inputs));
        String x = INPUT;
        for (int k = 0; k < layers.size(); k++) {
            Dense layer = layers.get(k);
            String w = "w" + k;
            String b = "b" + k;
            graph.addInitializer(floatTensor(w, flatten(layer.weights()), layer.inputs(), layer.outputs()));
            graph.addInitializer(floatTensor(b, layer.bias(), layer.outputs()));
            boolean last = k == layers.size() - 1;
            String product = "matmul" + k;
            String sum = last && !layer.relu() && !squeeze ? output : "add" + k;
            graph.addNode(node("MatMul", x, w, product));
            graph.addNode(node("Add", product, b, sum));
            x = sum;
            if (layer.relu()) {
                String activated = last && !squeeze ? output : "relu" + k;
                graph.addNode(NodeProto.newBuilder().setOpType("Relu").addInput(x).addOutput(activated));
                x = activated;
            }
        }
        if (squeeze) {
            graph.addInitializer(TensorProto.newBuilder().setName("axes").setDataType(TensorProto.DataType.INT64_VALUE)
                    .addDims(1).addInt64Data(1));
            graph.addNode(node("Squeeze", x, "axes", output));
            graph.addOutput(floatValue(output, batch));
        } else {
            graph.addOutput(floatValue(output, batch, width));
        }
        return ModelProto.newBuilder()
                .setIrVersion(Version.IR_VERSION_2021_7_30_VALUE)
                .setProducerName("oddity-tests")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(graph)
                .build()
                .toByteArray();
    }

    private static NodeProto node(String op, String a, String b, String out) {
        return NodeProto.newBuilder().setOpType(op).addInput(a).addInput(b).addOutput(out).build();
    }

    private static float[] flatten(float[][] matrix) {
        int columns = matrix[0].length;
        float[] flat = new float[matrix.length * columns];
        for (int i = 0; i < matrix.length; i++) {
            System.arraycopy(matrix[i], 0, flat, i * columns, columns);
        }
        return flat;
    }

    private static TensorProto floatTensor(String name, float[] values, long... dims) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
        for (long d : dims) {
            tensor.addDims(d);
        }
        for (float v : values) {
            tensor.addFloatData(v);
        }
        return tensor.build();
    }

    private static ValueInfoProto floatValue(String name, long batch, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        shape.addDim(batch == DYNAMIC_BATCH ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
                : TensorShapeProto.Dimension.newBuilder().setDimValue(batch));
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }
}

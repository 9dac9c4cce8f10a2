package org.oddity.score.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.oddity.score.Scorer;
import org.oddity.score.onnx.OnnxSignature.Tensor;

/**
 * Scores with an ONNX model, trained outside oddity (typically in Python), through ONNX Runtime
 * on the CPU. The output tensor is the score itself or a reconstruction of the input whose mean
 * squared error is the score ({@link OutputKind}).
 *
 * <p>A session run has a fixed cost of a few microseconds whatever the number of rows, so
 * {@link #scoreBatch} runs the session once per {@link OnnxSettings#batchSize()} events.
 *
 * <p>One session serves every stream thread, since ONNX Runtime's {@code Run} is thread-safe.
 * The memory it reads and writes is per thread: each thread gets direct buffers that ONNX
 * Runtime uses in place (no copy into or out of native memory), and the tensors over them are
 * made once per row count and kept. Shared buffers would need a lock held across the run, so
 * the stream threads would take turns on the model; per-thread buffers cost
 * {@code batchSize * (features + output width) * 4} bytes a thread.
 *
 * <p>Unlike the pure-Java families, a run does allocate a few small objects (the argument
 * arrays and the {@code Result} of ONNX Runtime's Java API), but no tensor memory.
 *
 * <p>{@link #close} releases the native session; a scorer dropped without it (a replaced model)
 * releases it when garbage collected.
 */
public final class OnnxScorer implements Scorer, AutoCloseable {

    /** Family name in bundle manifests. */
    public static final String FAMILY = "onnx";

    private static final Cleaner CLEANER = Cleaner.create();

    private final byte[] model;
    private final OnnxSettings settings;
    private final NativeSession session;
    private final Cleaner.Cleanable cleanable;
    private final ThreadLocal<Buffers> buffers;

    private OnnxScorer(byte[] model, OnnxSettings settings, NativeSession session, boolean vectorOutput) {
        this.model = model;
        this.settings = settings;
        this.session = session;
        this.cleanable = CLEANER.register(this, session);
        this.buffers = ThreadLocal.withInitial(() -> session.register(new Buffers(settings, vectorOutput)));
    }

    /**
     * A scorer running the serialized ONNX model {@code model} as {@code settings} say.
     *
     * @throws IOException naming the tensor or setting at fault, if ONNX Runtime cannot load
     *                     the model, the input or output tensor is missing, not float, or of
     *                     the wrong shape, or a trial run fails
     */
    public static OnnxScorer load(byte[] model, OnnxSettings settings) throws IOException {
        NativeSession session = open(model, settings.intraOpThreads(), settings.interOpThreads());
        try {
            OnnxScorer scorer = new OnnxScorer(model.clone(), settings, session,
                    checkedVectorOutput(session.session(), settings));
            // The trial run was unpinned; this one goes the way every score will.
            scorer.score(new float[settings.features()]);
            return scorer;
        } catch (IllegalStateException e) {
            session.close();
            throw new IOException(e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /**
     * Opens a session on {@code model} with the given thread pools.
     *
     * @throws IOException if ONNX Runtime cannot load the model
     */
    static NativeSession open(byte[] model, int intraOpThreads, int interOpThreads) throws IOException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(interOpThreads);
            if (interOpThreads > 1) {
                // The inter-op pool only runs anything in parallel execution mode.
                options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.PARALLEL);
            }
            return new NativeSession(OrtEnvironment.getEnvironment().createSession(model, options), options);
        } catch (OrtException e) {
            options.close();
            throw new IOException("ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }

    /**
     * Checks the input and output tensors against {@code settings}; returns whether the output
     * has shape [N] (else [N, width]).
     */
    private static boolean checkedVectorOutput(OrtSession session, OnnxSettings settings) throws IOException {
        OnnxSignature signature;
        try {
            signature = OnnxSignature.of(session);
        } catch (OrtException e) {
            throw new IOException("ONNX Runtime cannot describe the model: " + e.getMessage(), e);
        }
        long batch = checkedBatchDimension(signature, settings);
        Tensor output = signature.outputs().get(settings.output());
        if (output == null) {
            throw new IOException("the model has no output tensor '" + settings.output() + "'; its outputs: "
                    + signature.outputs().keySet());
        }
        if (!output.isFloat()) {
            throw new IOException("output tensor '" + settings.output() + "' holds " + output.type()
                    + "; oddity reads FLOAT");
        }
        // Declared output shapes are often symbolic or absent, so a trial run shows what the model gives.
        int rows = batch == 1 ? 1 : 2;
        long[] shape = trialOutputShape(session, settings, rows);
        int width = settings.outputKind().width(settings.features());
        boolean vector = settings.outputKind() == OutputKind.SCORE && Arrays.equals(shape, new long[] {rows});
        if (!vector && !Arrays.equals(shape, new long[] {rows, width})) {
            throw new IOException("output tensor '" + settings.output() + "' gives shape " + Arrays.toString(shape)
                    + " for " + rows + " events; a " + settings.outputKind().label() + " output has shape "
                    + (settings.outputKind() == OutputKind.SCORE ? "[" + rows + "] or [" + rows + ", 1]"
                            : "[" + rows + ", " + width + "]"));
        }
        return vector;
    }

    /** Checks the input tensor; returns its declared batch dimension, {@link OnnxSignature#DYNAMIC} or 1. */
    private static long checkedBatchDimension(OnnxSignature signature, OnnxSettings settings) throws IOException {
        String name = settings.input();
        Tensor input = signature.inputs().get(name);
        if (input == null) {
            throw new IOException("the model has no input tensor '" + name + "'; its inputs: "
                    + signature.inputs().keySet());
        }
        if (signature.inputs().size() > 1) {
            throw new IOException("the model has inputs " + signature.inputs().keySet() + "; oddity feeds one, '"
                    + name + "'");
        }
        if (!input.isFloat()) {
            throw new IOException("input tensor '" + name + "' holds " + input.type() + "; oddity feeds FLOAT");
        }
        List<Long> shape = input.shape();
        if (shape.size() != 2 || (shape.get(1) != OnnxSignature.DYNAMIC && shape.get(1) != settings.features())) {
            throw new IOException("input tensor '" + name + "' has shape " + shape + "; oddity feeds [N, "
                    + settings.features() + "], N events of " + settings.features() + " features");
        }
        long batch = shape.get(0);
        if (batch != OnnxSignature.DYNAMIC && batch != 1) {
            throw new IOException("input tensor '" + name + "' has a fixed batch dimension of " + batch
                    + "; oddity needs a dynamic one, or 1");
        }
        if (batch == 1 && settings.batchSize() != 1) {
            throw new IOException("input tensor '" + name + "' takes one event per run, so the batch size must be 1,"
                    + " not " + settings.batchSize());
        }
        return batch;
    }

    private static long[] trialOutputShape(OrtSession session, OnnxSettings settings, int rows) throws IOException {
        FloatBuffer zeros = FloatBuffer.allocate(rows * settings.features());
        try (OnnxTensor input = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), zeros,
                new long[] {rows, settings.features()});
                OrtSession.Result result = session.run(Map.of(settings.input(), input), Set.of(settings.output()))) {
            return ((TensorInfo) result.get(0).getInfo()).getShape();
        } catch (OrtException e) {
            throw new IOException("a trial run of the model on " + rows + " events failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String family() {
        return FAMILY;
    }

    @Override
    public int featureCount() {
        return settings.features();
    }

    @Override
    public double score(float[] features) {
        Buffers b = buffers.get();
        b.input.put(0, features, 0, settings.features());
        run(b, 1);
        return rowScore(b, features, 0, 0);
    }

    @Override
    public void scoreBatch(float[] rows, int count, double[] out) {
        Buffers b = buffers.get();
        int d = settings.features();
        for (int first = 0; first < count; first += settings.batchSize()) {
            int n = Math.min(settings.batchSize(), count - first);
            b.input.put(0, rows, first * d, n * d);
            run(b, n);
            for (int r = 0; r < n; r++) {
                out[first + r] = rowScore(b, rows, (first + r) * d, r);
            }
        }
    }

    private void run(Buffers b, int rows) {
        try {
            Binding binding = b.binding(rows);
            // The output is pinned: ONNX Runtime has written it into b.output, and the result does not own it.
            session.session().run(binding.inputs(), binding.outputs()).close();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to score " + rows + " events: " + e.getMessage(), e);
        }
    }

    /** Score of row {@code row} of the last run, whose input vector starts at {@code x[offset]}. */
    private double rowScore(Buffers b, float[] x, int offset, int row) {
        if (settings.outputKind() == OutputKind.SCORE) {
            return b.output.get(row);
        }
        int d = settings.features();
        int base = row * d;
        double sum = 0;
        for (int j = 0; j < d; j++) {
            double diff = x[offset + j] - b.output.get(base + j);
            sum += diff * diff;
        }
        return sum / d;
    }

    /** Releases the native session and every thread's tensors; the scorer must not be used afterwards. */
    @Override
    public void close() {
        cleanable.clean();
    }

    /** The serialized model, for writing into a bundle. */
    byte[] model() {
        return model;
    }

    OnnxSettings settings() {
        return settings;
    }

    /**
     * A session with the options it was made with, which ONNX Runtime's Java API says must
     * outlive it, and every thread's tensors. It is what the cleaner releases, so it must not
     * reach the scorer, which would otherwise never become unreachable.
     */
    static final class NativeSession implements Runnable, AutoCloseable {

        private final OrtSession session;
        private final OrtSession.SessionOptions options;
        private final Queue<Buffers> buffers = new ConcurrentLinkedQueue<>();
        private boolean closed;

        private NativeSession(OrtSession session, OrtSession.SessionOptions options) {
            this.session = session;
            this.options = options;
        }

        OrtSession session() {
            return session;
        }

        private Buffers register(Buffers b) {
            buffers.add(b);
            return b;
        }

        @Override
        public void run() {
            close();
        }

        /** Closes the tensors, the session and its options; later calls do nothing. */
        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            buffers.forEach(Buffers::close);
            try {
                session.close();
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime failed to close a session: " + e.getMessage(), e);
            } finally {
                options.close();
            }
        }
    }

    /** The tensors of one run of {@code rows} events, keyed for {@link OrtSession#run}. */
    private record Binding(Map<String, OnnxTensor> inputs, Map<String, OnnxTensor> outputs) {

        void close() {
            inputs.values().forEach(OnnxTensor::close);
            outputs.values().forEach(OnnxTensor::close);
        }
    }

    /** One thread's memory shared with ONNX Runtime, and the tensors over it, made once per row count. */
    private static final class Buffers {

        private final OnnxSettings settings;
        private final boolean vectorOutput;
        private final int width;
        private final FloatBuffer input;
        private final FloatBuffer output;
        /** Written by the owning thread, read by the cleaner's, hence atomic. */
        private final AtomicReferenceArray<Binding> byRows;

        Buffers(OnnxSettings settings, boolean vectorOutput) {
            this.settings = settings;
            this.vectorOutput = vectorOutput;
            this.width = settings.outputKind().width(settings.features());
            this.input = direct(settings.batchSize() * settings.features());
            this.output = direct(settings.batchSize() * width);
            this.byRows = new AtomicReferenceArray<>(settings.batchSize() + 1);
        }

        private static FloatBuffer direct(int floats) {
            return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }

        Binding binding(int rows) throws OrtException {
            Binding binding = byRows.get(rows);
            if (binding == null) {
                OrtEnvironment env = OrtEnvironment.getEnvironment();
                int d = settings.features();
                OnnxTensor in = OnnxTensor.createTensor(env, input.slice(0, rows * d), new long[] {rows, d});
                long[] outShape = vectorOutput ? new long[] {rows} : new long[] {rows, width};
                OnnxTensor out = OnnxTensor.createTensor(env, output.slice(0, rows * width), outShape);
                binding = new Binding(Map.of(settings.input(), in), Map.of(settings.output(), out));
                byRows.set(rows, binding);
            }
            return binding;
        }

        void close() {
            for (int rows = 0; rows < byRows.length(); rows++) {
                Binding binding = byRows.get(rows);
                if (binding != null) {
                    binding.close();
                }
            }
        }
    }
}

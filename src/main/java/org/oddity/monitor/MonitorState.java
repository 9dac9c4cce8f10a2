package org.oddity.monitor;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The state a {@link WindowMonitor} carries between windows, as bytes: the last window tested,
 * every open alert with its latest finding, and every CUSUM chart's sum. The monitor's task
 * stores it after each window, so that the monitor picks up where it was when the task moves to
 * another instance: alerts raised before still clear, and charts keep their evidence.
 *
 * <p>A versioned binary layout of {@link DataOutputStream} primitives: doubles keep NaN and
 * their exact bits, which a text format would not.
 *
 * @param lastWindowStartNanos start of the last window tested, null before the first
 * @param open                 the open alerts by key
 * @param cusumSums            the charts' sums by key
 */
record MonitorState(Long lastWindowStartNanos, Map<AlertKey, AlertLifecycle.Open> open, Map<AlertKey, Double> cusumSums) {

    private static final int VERSION = 1;

    static byte[] write(Long lastWindowStartNanos, Map<AlertKey, AlertLifecycle.Open> open, Map<AlertKey, Cusum> charts) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(VERSION);
            out.writeBoolean(lastWindowStartNanos != null);
            out.writeLong(lastWindowStartNanos == null ? 0 : lastWindowStartNanos);
            out.writeInt(open.size());
            for (Map.Entry<AlertKey, AlertLifecycle.Open> e : open.entrySet()) {
                AlertLifecycle.Open alert = e.getValue();
                out.writeLong(alert.raisedAtNanos);
                out.writeInt(alert.quiet);
                writeFinding(out, alert.latest);
            }
            out.writeInt(charts.size());
            for (Map.Entry<AlertKey, Cusum> e : charts.entrySet()) {
                writeKey(out, e.getKey());
                out.writeDouble(e.getValue().sum());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static MonitorState read(byte[] state) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("monitor state of version " + version + ", expected " + VERSION);
            }
            boolean started = in.readBoolean();
            long last = in.readLong();
            Map<AlertKey, AlertLifecycle.Open> open = new TreeMap<>();
            for (int i = count(in); i > 0; i--) {
                long raisedAt = in.readLong();
                int quiet = in.readInt();
                Finding latest = readFinding(in);
                AlertLifecycle.Open alert = new AlertLifecycle.Open(raisedAt, latest);
                alert.quiet = quiet;
                open.put(latest.key(), alert);
            }
            Map<AlertKey, Double> sums = new TreeMap<>();
            for (int i = count(in); i > 0; i--) {
                sums.put(readKey(in), in.readDouble());
            }
            if (in.read() != -1) {
                throw new IllegalArgumentException("monitor state has bytes after its end");
            }
            return new MonitorState(started ? last : null, open, sums);
        } catch (IOException e) {
            throw new IllegalArgumentException("monitor state is truncated or malformed: " + e, e);
        }
    }

    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("negative count " + n);
        }
        return n;
    }

    private static void writeKey(DataOutputStream out, AlertKey key) throws IOException {
        out.writeUTF(key.kind().name());
        out.writeUTF(key.cell());
        out.writeBoolean(key.feature() != null);
        out.writeUTF(key.feature() == null ? "" : key.feature());
    }

    private static AlertKey readKey(DataInputStream in) throws IOException {
        AlertKind kind = AlertKind.valueOf(in.readUTF());
        String cell = in.readUTF();
        boolean hasFeature = in.readBoolean();
        String feature = in.readUTF();
        return new AlertKey(kind, cell, hasFeature ? feature : null);
    }

    private static void writeFinding(DataOutputStream out, Finding f) throws IOException {
        writeKey(out, f.key());
        out.writeBoolean(f.firing());
        out.writeUTF(f.severity().name());
        out.writeUTF(f.statistic());
        out.writeDouble(f.statisticValue());
        out.writeDouble(f.rawPValue());
        out.writeDouble(f.correctedPValue());
        out.writeDouble(f.observed());
        out.writeDouble(f.expected());
        out.writeLong(f.range().firstRun());
        out.writeInt(f.range().firstLumisection());
        out.writeLong(f.range().lastRun());
        out.writeInt(f.range().lastLumisection());
        out.writeInt(f.topFeatures().size());
        for (String feature : f.topFeatures()) {
            out.writeUTF(feature);
        }
        // writeUTF holds at most 65,535 bytes; messages are a few hundred.
        out.writeUTF(f.message().length() > 16_000 ? f.message().substring(0, 16_000) : f.message());
    }

    private static Finding readFinding(DataInputStream in) throws IOException {
        AlertKey key = readKey(in);
        boolean firing = in.readBoolean();
        Severity severity = Severity.valueOf(in.readUTF());
        String statistic = in.readUTF();
        double value = in.readDouble();
        double raw = in.readDouble();
        double corrected = in.readDouble();
        double observed = in.readDouble();
        double expected = in.readDouble();
        RunRange range = new RunRange(in.readLong(), in.readInt(), in.readLong(), in.readInt());
        List<String> top = new ArrayList<>();
        for (int i = count(in); i > 0; i--) {
            top.add(in.readUTF());
        }
        String message = in.readUTF();
        return new Finding(key, firing, severity, statistic, value, raw, corrected, observed, expected, range, top,
                message);
    }
}

package io.latentflow.engine.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentflow.engine.tensor.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import java.util.function.Consumer;

/**
 * Streams a safetensors file: tensors are declared with a filler, and {@link #close()} writes the header
 * and then asks each filler in turn for its bytes. Only one tensor's bytes are in memory at a time (in a
 * reused direct buffer), so multi-GB random checkpoints can be written with a small heap.
 */
public final class SafeTensorsWriter implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Pending(String name, DType dtype, long[] shape, long bytes, Consumer<ByteBuffer> filler) {
    }

    private final Path file;
    private final List<Pending> pending = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private Map<String, String> metadata = Map.of("format", "pt");
    private long dataBytes;
    private boolean closed;

    public SafeTensorsWriter(Path file) {
        this.file = file;
    }

    /** Replaces the {@code __metadata__} map (default {"format": "pt"}, as PyTorch's save_file writes). */
    public SafeTensorsWriter metadata(Map<String, String> metadata) {
        this.metadata = new LinkedHashMap<>(metadata);
        return this;
    }

    /**
     * Declares a tensor; tensors are laid out in declaration order. {@code filler} is called from
     * {@link #close()} with a little-endian buffer of exactly the tensor's byte size, positioned at 0; it
     * may use absolute or relative puts.
     */
    public SafeTensorsWriter add(String name, DType dtype, long[] shape, Consumer<ByteBuffer> filler) {
        if (closed) {
            throw new IllegalStateException(file + ": add after close");
        }
        if (name.equals("__metadata__") || !names.add(name)) {
            throw new IllegalArgumentException(file + ": duplicate or reserved tensor name '" + name + "'");
        }
        long numel = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(file + ": tensor '" + name + "' has negative dimension " + d);
            }
            numel = Math.multiplyExact(numel, d);
        }
        long bytes = Math.multiplyExact(numel, (long) dtype.bytes);
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(file + ": tensor '" + name + "' is " + bytes
                    + " bytes; the writer fills one ByteBuffer per tensor (max 2 GiB)");
        }
        pending.add(new Pending(name, dtype, shape.clone(), bytes, filler));
        dataBytes += bytes;
        return this;
    }

    /** Bytes of the data section declared so far. */
    public long dataBytes() {
        return dataBytes;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] header = header();
            ByteBuffer head = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(header.length).put(header).flip();
            writeFully(ch, head);
            long max = 0;
            for (Pending p : pending) {
                max = Math.max(max, p.bytes);
            }
            ByteBuffer scratch = ByteBuffer.allocateDirect((int) Math.max(max, 1));
            for (Pending p : pending) {
                ByteBuffer buf = scratch.duplicate();
                buf.clear().limit((int) p.bytes);
                buf = buf.slice().order(ByteOrder.LITTLE_ENDIAN);
                p.filler.accept(buf);
                ByteBuffer out = buf.duplicate();
                out.clear();
                writeFully(ch, out);
            }
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot write: " + e, e);
        }
    }

    /** JSON header padded with spaces so the data section starts 8-byte aligned. */
    private byte[] header() {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = root.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        long offset = 0;
        for (Pending p : pending) {
            ObjectNode t = root.putObject(p.name);
            t.put("dtype", p.dtype.name());
            var shape = t.putArray("shape");
            for (long d : p.shape) {
                shape.add(d);
            }
            t.putArray("data_offsets").add(offset).add(offset + p.bytes);
            offset += p.bytes;
        }
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) & ~7;
        byte[] out = new byte[padded];
        System.arraycopy(json, 0, out, 0, json.length);
        for (int i = json.length; i < padded; i++) {
            out[i] = ' ';
        }
        return out;
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}

package io.latentflow.engine.checkpoint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentflow.engine.tensor.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One {@code .safetensors} file, memory-mapped read-only.
 *
 * <p>Layout: 8-byte little-endian header length N, N bytes of JSON header, then the data section.
 * The whole header is validated at {@link #open} (bounds, sizes, overlaps) so that a corrupt file fails
 * with a message naming it and the tensor, never with an IndexOutOfBounds or a SIGBUS later in a kernel.
 *
 * <p>A {@link MappedByteBuffer} addresses at most 2 GiB, so the data section is mapped in windows of up to
 * {@link #WINDOW_BYTES}: tensors in offset order are packed greedily into a window while it stays within
 * the limit, a larger tensor gets a mapping of its own, and each tensor is a slice of its window. The
 * weights are never copied onto the heap.
 */
public final class SafeTensorsFile implements AutoCloseable {
    /** Mapping window size; 1 GiB keeps every window well inside a ByteBuffer's int addressing. */
    public static final long WINDOW_BYTES = 1L << 30;
    /** Headers of real checkpoints are well under 10 MB; anything past this is a corrupt length. */
    static final long MAX_HEADER_BYTES = 100L << 20;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Path file;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;
    private final Map<String, ByteBuffer> slices;
    private volatile boolean closed;

    private SafeTensorsFile(Path file, Map<String, TensorInfo> tensors, Map<String, String> metadata,
                            Map<String, ByteBuffer> slices) {
        this.file = file;
        this.tensors = tensors;
        this.metadata = metadata;
        this.slices = slices;
    }

    /** Opens, validates and maps {@code file}. */
    public static SafeTensorsFile open(Path file) {
        return open(file, WINDOW_BYTES);
    }

    /** As {@link #open(Path)} with a given window size (small windows let tests exercise window slicing). */
    static SafeTensorsFile open(Path file, long windowBytes) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new CheckpointException(file + ": file is " + size + " bytes, shorter than the 8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, file);
            long headerLen = lenBuf.getLong(0);
            if (headerLen < 0 || headerLen > MAX_HEADER_BYTES) {
                throw new CheckpointException(file + ": header length " + Long.toUnsignedString(headerLen)
                        + " is absurd (limit " + MAX_HEADER_BYTES + " bytes); not a safetensors file?");
            }
            if (8 + headerLen > size) {
                throw new CheckpointException(file + ": header length " + headerLen + " runs past the end of the "
                        + size + "-byte file (truncated?)");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headerBuf, 8, file);
            long dataStart = 8 + headerLen;
            long dataSize = size - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, TensorInfo> tensors = parseHeader(file, headerBuf.array(), dataSize, metadata);
            Map<String, ByteBuffer> slices = map(file, ch, dataStart, tensors, windowBytes);
            return new SafeTensorsFile(file, Collections.unmodifiableMap(tensors),
                    Collections.unmodifiableMap(metadata), slices);
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read: " + e, e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long pos, Path file) throws IOException {
        while (dst.hasRemaining()) {
            int n = ch.read(dst, pos + dst.position());
            if (n < 0) {
                throw new CheckpointException(file + ": unexpected end of file while reading the header");
            }
        }
    }

    private static Map<String, TensorInfo> parseHeader(Path file, byte[] header, long dataSize,
                                                       Map<String, String> metadata) {
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (JsonProcessingException e) {
            throw new CheckpointException(file + ": header is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new CheckpointException(file + ": header is not valid JSON: " + e, e);
        }
        if (root == null || !root.isObject()) {
            throw new CheckpointException(file + ": header is not a JSON object");
        }
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                readMetadata(file, e.getValue(), metadata);
            } else {
                tensors.put(e.getKey(), parseEntry(file, e.getKey(), e.getValue(), dataSize));
            }
        }
        checkOverlaps(file, tensors);
        return tensors;
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> out) {
        if (!node.isObject()) {
            throw new CheckpointException(file + ": __metadata__ is not a JSON object");
        }
        node.fields().forEachRemaining(e -> out.put(e.getKey(),
                e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
    }

    private static TensorInfo parseEntry(Path file, String name, JsonNode node, long dataSize) {
        String where = "tensor '" + name + "' in " + file;
        if (!node.isObject()) {
            throw new CheckpointException(where + ": header entry is not a JSON object");
        }
        JsonNode dtypeNode = node.get("dtype");
        JsonNode shapeNode = node.get("shape");
        JsonNode offNode = node.get("data_offsets");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new CheckpointException(where + ": missing or non-string 'dtype'");
        }
        if (shapeNode == null || !shapeNode.isArray()) {
            throw new CheckpointException(where + ": missing or non-array 'shape'");
        }
        if (offNode == null || !offNode.isArray() || offNode.size() != 2) {
            throw new CheckpointException(where + ": 'data_offsets' must be an array [begin, end]");
        }
        long[] shape = new long[shapeNode.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.longValue() < 0) {
                throw new CheckpointException(where + ": shape " + shapeNode + " has a dimension that is not a non-negative integer");
            }
            shape[i] = d.longValue();
            try {
                numel = Math.multiplyExact(numel, shape[i]);
            } catch (ArithmeticException ex) {
                throw new CheckpointException(where + ": shape " + shapeNode + " overflows");
            }
        }
        long[] off = new long[2];
        for (int i = 0; i < 2; i++) {
            JsonNode o = offNode.get(i);
            if (!o.isIntegralNumber() || !o.canConvertToLong() || o.longValue() < 0) {
                throw new CheckpointException(where + ": data_offsets " + offNode + " are not non-negative integers");
            }
            off[i] = o.longValue();
        }
        if (off[0] > off[1] || off[1] > dataSize) {
            throw new CheckpointException(where + ": data_offsets " + offNode + " are out of bounds of the "
                    + dataSize + "-byte data section");
        }
        String dtypeName = dtypeNode.asText();
        DType dtype = DType.fromSafetensors(dtypeName);
        long elemBytes = dtype != null ? dtype.bytes : knownBytes(dtypeName);
        if (elemBytes > 0) {
            long need;
            try {
                need = Math.multiplyExact(numel, elemBytes);
            } catch (ArithmeticException ex) {
                throw new CheckpointException(where + ": shape " + shapeNode + " overflows");
            }
            if (off[1] - off[0] != need) {
                throw new CheckpointException(where + ": data_offsets " + offNode + " span " + (off[1] - off[0])
                        + " bytes, but shape " + shapeNode + " of " + dtypeName + " needs " + need);
            }
        }
        return new TensorInfo(name, dtypeName, dtype, shape, off[0], off[1]);
    }

    /** Sizes of safetensors dtypes the engine does not read, so their entries are still bounds-checked. */
    private static long knownBytes(String dtype) {
        switch (dtype) {
            case "F64": case "I64": case "U64":
                return 8;
            case "I32": case "U32":
                return 4;
            case "I16": case "U16":
                return 2;
            case "I8": case "U8": case "BOOL": case "F8_E5M2":
                return 1;
            default:
                return -1;
        }
    }

    private static void checkOverlaps(Path file, Map<String, TensorInfo> tensors) {
        List<TensorInfo> sorted = new ArrayList<>();
        for (TensorInfo t : tensors.values()) {
            if (t.byteSize() > 0) {
                sorted.add(t);
            }
        }
        sorted.sort(Comparator.comparingLong(TensorInfo::begin));
        for (int i = 1; i < sorted.size(); i++) {
            TensorInfo prev = sorted.get(i - 1);
            TensorInfo cur = sorted.get(i);
            if (cur.begin() < prev.end()) {
                throw new CheckpointException(file + ": tensors '" + prev.name() + "' [" + prev.begin() + ", "
                        + prev.end() + ") and '" + cur.name() + "' [" + cur.begin() + ", " + cur.end() + ") overlap");
            }
        }
    }

    /** Greedy windows over tensors in offset order; see the class comment. */
    private static Map<String, ByteBuffer> map(Path file, FileChannel ch, long dataStart,
                                               Map<String, TensorInfo> tensors, long windowBytes) throws IOException {
        List<TensorInfo> sorted = new ArrayList<>(tensors.values());
        sorted.sort(Comparator.comparingLong(TensorInfo::begin));
        Map<String, ByteBuffer> slices = new HashMap<>();
        int i = 0;
        while (i < sorted.size()) {
            TensorInfo first = sorted.get(i);
            if (first.byteSize() > Integer.MAX_VALUE) {
                i++; // cannot be one ByteBuffer; data() reports it when asked for
                continue;
            }
            long start = first.begin();
            long end = first.end();
            int j = i + 1;
            while (j < sorted.size() && sorted.get(j).end() - start <= windowBytes) {
                end = Math.max(end, sorted.get(j).end());
                j++;
            }
            MappedByteBuffer window = ch.map(FileChannel.MapMode.READ_ONLY, dataStart + start, end - start);
            for (int k = i; k < j; k++) {
                TensorInfo t = sorted.get(k);
                ByteBuffer s = window.slice((int) (t.begin() - start), (int) t.byteSize())
                        .order(ByteOrder.LITTLE_ENDIAN);
                slices.put(t.name(), s);
            }
            i = j;
        }
        return slices;
    }

    public Path path() {
        return file;
    }

    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    /** Tensor names in header order. */
    public Set<String> names() {
        return tensors.keySet();
    }

    /** The header entry of a tensor; throws when absent. */
    public TensorInfo info(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            throw new CheckpointException("missing tensor '" + name + "' in " + file);
        }
        return t;
    }

    /** The {@code __metadata__} map of the header (empty if none). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * The tensor's bytes as a read-only little-endian slice of the mapping, position 0 = first element.
     * Fails for dtypes the engine cannot read and for tensors over 2 GiB.
     */
    public ByteBuffer data(String name) {
        if (closed) {
            throw new CheckpointException(file + ": read of tensor '" + name + "' after close");
        }
        TensorInfo t = info(name);
        if (t.dtype() == null) {
            throw new CheckpointException("tensor " + name + " in " + file + " has dtype " + t.dtypeName()
                    + ", which the engine cannot read");
        }
        ByteBuffer b = slices.get(name);
        if (b == null) {
            throw new CheckpointException("tensor " + name + " in " + file + " is " + t.byteSize()
                    + " bytes, more than one 2 GiB mapping can hold");
        }
        return b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Marks the file closed. The mappings themselves are released by the GC when no Weight refers to them
     * any more (Java has no safe explicit unmap), so weights handed out stay valid.
     */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return file.toString();
    }
}

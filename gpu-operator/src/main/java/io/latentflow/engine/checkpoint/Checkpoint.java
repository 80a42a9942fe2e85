package io.latentflow.engine.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentflow.engine.tensor.DType;
import io.latentflow.engine.tensor.Weight;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/** Minimal single-file reader, replaced by the validated checkpoint loader. */
public final class Checkpoint implements AutoCloseable {
    private final Map<String, Weight> tensors = new HashMap<>();

    public static Checkpoint open(Path dir) {
        try {
            return new Checkpoint(dir.resolve("model.safetensors"));
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private Checkpoint(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer all = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
            int n = (int) all.getLong(0);
            byte[] hb = new byte[n];
            all.get(8, hb);
            JsonNode header = new ObjectMapper().readTree(hb);
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                JsonNode t = e.getValue();
                DType dt = DType.fromSafetensors(t.get("dtype").asText());
                JsonNode shape = t.get("shape");
                int rows = shape.size() == 1 ? 1 : shape.get(0).asInt();
                int cols = shape.get(shape.size() - 1).asInt();
                long begin = t.get("data_offsets").get(0).asLong();
                long end = t.get("data_offsets").get(1).asLong();
                ByteBuffer b = all.slice((int) (8 + n + begin), (int) (end - begin));
                tensors.put(e.getKey(), new Weight(e.getKey(), dt, rows, cols, b, null));
            }
        }
    }

    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    public Weight matrix(String name, int rows, int cols) {
        Weight w = tensors.get(name);
        if (w == null || w.rows != rows || w.cols != cols) {
            throw new IllegalArgumentException("tensor " + name + " missing or shape " + w);
        }
        return w;
    }

    public Weight vector(String name, int n) {
        return matrix(name, 1, n);
    }

    @Override
    public void close() {
    }
}

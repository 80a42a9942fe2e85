package io.latentflow.engine.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentflow.engine.tensor.DType;
import io.latentflow.engine.tensor.Weight;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The weights of a Hugging Face model directory: one {@code model.safetensors}, or shards listed by
 * {@code model.safetensors.index.json}. Hands out {@link Weight} views over the mapped files after
 * checking each tensor's shape against what the caller (the model builder) expects, so a checkpoint that
 * does not match its config fails at load time with the tensor named, not as garbage logits.
 */
public final class Checkpoint implements AutoCloseable {
    public static final String SINGLE = "model.safetensors";
    public static final String INDEX = "model.safetensors.index.json";
    /** Suffix of the F32 block-scale tensor DeepSeek-V3 pairs with each F8_E4M3 weight. */
    public static final String SCALE_SUFFIX = "_scale_inv";

    private final Path dir;
    private final List<SafeTensorsFile> files;
    private final Map<String, SafeTensorsFile> byTensor;

    private Checkpoint(Path dir, List<SafeTensorsFile> files, Map<String, SafeTensorsFile> byTensor) {
        this.dir = dir;
        this.files = files;
        this.byTensor = byTensor;
    }

    /** Opens the safetensors of {@code modelDir}, preferring the shard index when there is one. */
    public static Checkpoint open(Path modelDir) {
        Path index = modelDir.resolve(INDEX);
        if (Files.isRegularFile(index)) {
            return openSharded(modelDir, index);
        }
        Path single = modelDir.resolve(SINGLE);
        if (!Files.isRegularFile(single)) {
            throw new CheckpointException(modelDir + ": no " + SINGLE + " or " + INDEX);
        }
        SafeTensorsFile f = SafeTensorsFile.open(single);
        Map<String, SafeTensorsFile> by = new LinkedHashMap<>();
        for (String n : f.names()) {
            by.put(n, f);
        }
        return new Checkpoint(modelDir, List.of(f), Collections.unmodifiableMap(by));
    }

    private static Checkpoint openSharded(Path dir, Path index) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(index));
        } catch (JsonProcessingException e) {
            throw new CheckpointException(index + ": malformed JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new CheckpointException(index + ": cannot read: " + e, e);
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new CheckpointException(index + ": missing object field 'weight_map'");
        }
        Path base = dir.toAbsolutePath().normalize();
        Map<String, SafeTensorsFile> shards = new LinkedHashMap<>();
        Map<String, SafeTensorsFile> by = new LinkedHashMap<>();
        List<SafeTensorsFile> opened = new ArrayList<>();
        try {
            var it = map.fields();
            while (it.hasNext()) {
                var e = it.next();
                String tensor = e.getKey();
                if (!e.getValue().isTextual()) {
                    throw new CheckpointException(index + ": weight_map entry for '" + tensor + "' is not a file name");
                }
                String shard = e.getValue().asText();
                SafeTensorsFile f = shards.get(shard);
                if (f == null) {
                    Path p = base.resolve(shard).normalize();
                    if (!p.startsWith(base) || p.equals(base)) {
                        throw new CheckpointException(index + ": shard '" + shard + "' of tensor '" + tensor
                                + "' escapes the model directory");
                    }
                    if (!Files.isRegularFile(p)) {
                        throw new CheckpointException(index + ": shard file '" + shard + "' of tensor '" + tensor
                                + "' does not exist");
                    }
                    f = SafeTensorsFile.open(p);
                    opened.add(f);
                    shards.put(shard, f);
                }
                if (!f.has(tensor)) {
                    throw new CheckpointException(index + ": weight_map puts tensor '" + tensor + "' in "
                            + f.path() + ", which does not contain it");
                }
                by.put(tensor, f);
            }
        } catch (RuntimeException e) {
            opened.forEach(SafeTensorsFile::close);
            throw e;
        }
        return new Checkpoint(dir, List.copyOf(opened), Collections.unmodifiableMap(by));
    }

    public Path dir() {
        return dir;
    }

    public boolean has(String name) {
        return byTensor.containsKey(name);
    }

    public Set<String> names() {
        return byTensor.keySet();
    }

    /** Header entry of a tensor (dtype, shape); throws when absent. */
    public TensorInfo info(String name) {
        return file(name).info(name);
    }

    /** A 2-D tensor of exactly [rows, cols], with its block scales when it is F8_E4M3. */
    public Weight matrix(String name, int rows, int cols) {
        return weight(name, new long[] {rows, cols}, rows, cols);
    }

    /** A 1-D tensor of exactly [n], as one row of n. */
    public Weight vector(String name, int n) {
        return weight(name, new long[] {n}, 1, n);
    }

    private Weight weight(String name, long[] expected, int rows, int cols) {
        SafeTensorsFile f = file(name);
        TensorInfo t = f.info(name);
        checkShape(f, t, expected);
        var data = f.data(name);
        Weight scale = null;
        if (t.dtype() == DType.F8_E4M3) {
            scale = scaleOf(name, rows, cols);
        }
        return new Weight(name, t.dtype(), rows, cols, data, scale);
    }

    private Weight scaleOf(String name, int rows, int cols) {
        String scaleName = name + SCALE_SUFFIX;
        SafeTensorsFile sf = byTensor.get(scaleName);
        if (sf == null) {
            throw new CheckpointException("tensor '" + name + "' in " + file(name).path()
                    + " is F8_E4M3 but its scale tensor '" + scaleName + "' is missing in " + dir);
        }
        TensorInfo st = sf.info(scaleName);
        long[] want = {ceilDiv(rows), ceilDiv(cols)};
        if (st.dtype() != DType.F32 || !Arrays.equals(st.shape(), want)) {
            throw new CheckpointException("scale tensor '" + scaleName + "' in " + sf.path() + " of F8 tensor '"
                    + name + "' is " + st.dtypeName() + " " + st.shapeString() + ", expected F32 "
                    + Arrays.toString(want));
        }
        return new Weight(scaleName, DType.F32, (int) want[0], (int) want[1], sf.data(scaleName), null);
    }

    private static long ceilDiv(int n) {
        return (n + (long) Weight.F8_BLOCK - 1) / Weight.F8_BLOCK;
    }

    private static void checkShape(SafeTensorsFile f, TensorInfo t, long[] expected) {
        if (t.dtype() == null) {
            throw new CheckpointException("tensor " + t.name() + " in " + f.path() + " has dtype "
                    + t.dtypeName() + ", which the engine cannot read");
        }
        if (!Arrays.equals(t.shape(), expected)) {
            throw new CheckpointException("tensor '" + t.name() + "' in " + f.path() + " has shape "
                    + t.shapeString() + ", expected " + Arrays.toString(expected));
        }
    }

    private SafeTensorsFile file(String name) {
        SafeTensorsFile f = byTensor.get(name);
        if (f == null) {
            throw new CheckpointException("missing tensor '" + name + "' in " + dir);
        }
        return f;
    }

    @Override
    public void close() {
        files.forEach(SafeTensorsFile::close);
    }
}

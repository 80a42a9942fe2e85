package io.latentflow.engine.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model directory's integrity manifest: {@value #FILE}, in {@code sha256sum}'s format, one {@code <64 hex>  <file>}
 * line per file (so {@code sha256sum -c SHA256SUMS} checks it too). {@link #write} lists every regular file of the
 * directory's top level except the manifest and hidden files.
 *
 * <p>{@link #verify} (called by {@code Engine.open} when the manifest exists) checks that:
 * <ul>
 *   <li>every listed file exists and has its hash (streamed, files hashed in parallel; the time is logged);</li>
 *   <li>every file the engine may read ({@code *.json}: config, tokenizer, shard index; {@code *.safetensors}) is
 *       listed, so a weight file added or swapped next to the manifest cannot slip in unverified. Other files
 *       (README.md, LICENSE, .gitattributes ...) are not read by the engine and are ignored.</li>
 * </ul>
 * Entries must be plain names inside the directory ({@code ..}, absolute paths and sub-directories are refused). Any
 * failure is a {@link CheckpointException} naming the file. Without a manifest the model loads unverified, with a
 * warning, unless the system property {@value #REQUIRE_PROPERTY} is {@code true}. The check happens before the files
 * are memory-mapped; whoever can write the directory after that is trusted like the JVM itself.
 */
public final class ModelManifest {
    public static final String FILE = "SHA256SUMS";
    /** {@code -Dlatentflow.model.require-manifest=true}: refuse a model directory without {@value #FILE}. */
    public static final String REQUIRE_PROPERTY = "latentflow.model.require-manifest";

    private static final Logger LOG = LoggerFactory.getLogger(ModelManifest.class);
    private static final int BUFFER = 1 << 20;

    private ModelManifest() {
    }

    /** Hashes the directory's files and writes {@value #FILE}; returns the entries (file name to hex). */
    public static Map<String, String> write(Path dir) {
        List<String> names = new ArrayList<>();
        for (Path f : listFiles(dir)) {
            String name = f.getFileName().toString();
            if (!name.equals(FILE) && !name.startsWith(".")) {
                names.add(name);
            }
        }
        Map<String, String> hashed = hashAll(dir, names);
        StringBuilder text = new StringBuilder();
        hashed.forEach((name, hex) -> text.append(hex).append("  ").append(name).append('\n'));
        try {
            Files.writeString(dir.resolve(FILE), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(FILE), e);
        }
        return hashed;
    }

    /**
     * Verifies {@code dir} against its manifest when there is one (see the class comment). Returns whether a
     * manifest was checked.
     */
    public static boolean verifyIfPresent(Path dir) {
        if (Files.isRegularFile(dir.resolve(FILE))) {
            verify(dir);
            return true;
        }
        if (Boolean.getBoolean(REQUIRE_PROPERTY)) {
            throw new CheckpointException(dir + ": no " + FILE + " manifest, and " + REQUIRE_PROPERTY
                    + "=true requires one (write it with: latentflow model manifest --model " + dir + ")");
        }
        LOG.warn("{} has no {} manifest: its weights are not verified (latentflow model manifest --model {})", dir,
                FILE, dir);
        return false;
    }

    /** Verifies {@code dir} against {@value #FILE}; throws a {@link CheckpointException} naming the bad file. */
    public static void verify(Path dir) {
        long t0 = System.nanoTime();
        Path manifest = dir.resolve(FILE);
        Map<String, String> expected = read(manifest);
        for (Path f : listFiles(dir)) {
            String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
            if ((name.endsWith(".json") || name.endsWith(".safetensors")) && !expected.containsKey(
                    f.getFileName().toString())) {
                throw new CheckpointException(f + " is not listed in " + manifest + ": the engine would read it "
                        + "unverified; refusing to load (re-create the manifest if the file belongs to the model)");
            }
        }
        for (String name : expected.keySet()) {
            if (!Files.isRegularFile(dir.resolve(name))) {
                throw new CheckpointException(dir.resolve(name) + " is listed in " + manifest + " but missing");
            }
        }
        Map<String, String> actual = hashAll(dir, new ArrayList<>(expected.keySet()));
        long bytes = 0;
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String got = actual.get(e.getKey());
            if (!got.equals(e.getValue())) {
                throw new CheckpointException(dir.resolve(e.getKey()) + ": SHA-256 " + got + " does not match "
                        + e.getValue() + " in " + manifest + ": the file was modified or corrupted; refusing to load");
            }
            bytes += dir.resolve(e.getKey()).toFile().length();
        }
        LOG.info("verified {} files ({} MiB) of {} against {} in {} ms", expected.size(), bytes >> 20, dir, FILE,
                (System.nanoTime() - t0) / 1_000_000);
    }

    /** The manifest's entries in file order: file name to lower-case hex. */
    static Map<String, String> read(Path manifest) {
        List<String> lines;
        try {
            lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CheckpointException(manifest + ": cannot read: " + e, e);
        }
        Map<String, String> entries = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            // sha256sum: "<hex>  <name>" (text mode) or "<hex> *<name>" (binary mode)
            int space = line.indexOf(' ');
            String hex = space < 0 ? line : line.substring(0, space);
            String name = space < 0 ? "" : line.substring(space + 1);
            name = name.startsWith(" ") || name.startsWith("*") ? name.substring(1) : name;
            if (!hex.matches("[0-9a-fA-F]{64}") || name.isEmpty()) {
                throw new CheckpointException(manifest + " line " + (i + 1) + ": expected '<64 hex digits>  <file>'");
            }
            if (name.contains("/") || name.contains("\\") || name.equals("..") || name.equals(".")) {
                throw new CheckpointException(manifest + " line " + (i + 1) + ": '" + name
                        + "' is not a plain file name in the model directory");
            }
            if (entries.put(name, hex.toLowerCase(Locale.ROOT)) != null) {
                throw new CheckpointException(manifest + " line " + (i + 1) + ": '" + name + "' is listed twice");
            }
        }
        if (entries.isEmpty()) {
            throw new CheckpointException(manifest + " lists no files");
        }
        return entries;
    }

    /** SHA-256 of one file, streamed through a 1 MiB direct buffer. */
    public static String sha256(Path file) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buffer) >= 0) {
                buffer.flip();
                digest.update(buffer);
                buffer.clear();
            }
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read for its SHA-256: " + e, e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static Map<String, String> hashAll(Path dir, List<String> names) {
        Map<String, String> out = new TreeMap<>();
        names.parallelStream().map(n -> Map.entry(n, sha256(dir.resolve(n)))).toList()
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static List<Path> listFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new CheckpointException(dir + ": cannot list: " + e, e);
        }
    }
}

package io.latentflow.engine.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A cheap identity of a model directory for the results' {@code model_content_hash}: SHA-256 over
 * config.json and, per safetensors file, its name, size and header (every tensor's name, dtype,
 * shape and offsets). It changes when the architecture or the tensor layout changes; verifying
 * every weight byte is the job of a sha256 manifest, not of this.
 */
public final class ModelFingerprint {
    private ModelFingerprint() {
    }

    public static String of(Path modelDir) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Files.readAllBytes(modelDir.resolve("config.json")));
            List<Path> files;
            try (Stream<Path> s = Files.list(modelDir)) {
                files = s.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().toList();
            }
            for (Path f : files) {
                sha.update(f.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                long size = Files.size(f);
                sha.update(ByteBuffer.allocate(8).putLong(size).array());
                try (InputStream in = Files.newInputStream(f)) {
                    byte[] len = in.readNBytes(8);
                    sha.update(len);
                    if (len.length == 8) {
                        long n = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
                        sha.update(in.readNBytes((int) Math.max(0, Math.min(n, Math.min(size - 8, 100L << 20)))));
                    }
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fingerprint model directory " + modelDir, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

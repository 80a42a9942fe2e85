package io.latentflow.embedded;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A minimal tar reader (ustar, GNU long names, PAX paths): regular files and directories only.
 *
 * <p>Why: the JDK reads gzip but not tar, and the runtime fallback of {@link ApicurioDistribution} should not
 * pull an archive library onto the demo's class path for one archive.
 */
final class Tar {
    private static final int BLOCK = 512;

    private Tar() {
    }

    /** Extracts every regular file and directory of the (uncompressed) tar stream under {@code target}. */
    static int extract(InputStream in, Path target) throws IOException {
        byte[] header = new byte[BLOCK];
        String longName = null;
        int files = 0;
        Path root = target.toAbsolutePath().normalize();
        while (true) {
            if (!readBlock(in, header)) {
                return files;
            }
            if (isZero(header)) {
                return files;
            }
            char type = (char) header[156];
            long size = octal(header, 124, 12);
            String name = longName != null ? longName : name(header);
            longName = null;
            switch (type) {
                case 'L': // GNU: the data is the next entry's name
                    longName = cString(readData(in, size));
                    continue;
                case 'x': // PAX: key=value records for the next entry; only path matters here
                    longName = paxPath(readData(in, size));
                    continue;
                case 'g':
                    readData(in, size);
                    continue;
                default:
                    break;
            }
            Path out = root.resolve(name).normalize();
            if (!out.startsWith(root)) {
                throw new IOException("tar entry escapes the target directory: " + name);
            }
            if (type == '5') {
                Files.createDirectories(out);
            } else if (type == '0' || type == '\0' || type == '7') {
                Files.createDirectories(out.getParent());
                try (OutputStream os = Files.newOutputStream(out)) {
                    copy(in, os, size);
                }
                skipPadding(in, size);
                files++;
            } else {
                skip(in, size); // links, devices: not in the distributions we read
                skipPadding(in, size);
            }
        }
    }

    private static String name(byte[] h) {
        String name = cString(h, 0, 100);
        boolean ustar = new String(h, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        String prefix = ustar ? cString(h, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String paxPath(byte[] data) {
        String records = new String(data, StandardCharsets.UTF_8);
        String path = null;
        for (String line : records.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0 && line.startsWith("path=", space + 1)) {
                path = line.substring(space + 1 + "path=".length());
            }
        }
        return path;
    }

    private static long octal(byte[] h, int off, int len) {
        if ((h[off] & 0x80) != 0) { // GNU base-256 for sizes over 8 GiB
            long v = 0;
            for (int i = off + 1; i < off + len; i++) {
                v = (v << 8) | (h[i] & 0xff);
            }
            return v;
        }
        String s = cString(h, off, len).trim();
        return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }

    private static String cString(byte[] b) {
        return cString(b, 0, b.length);
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int n = in.readNBytes(block, 0, BLOCK);
        if (n == 0) {
            return false;
        }
        if (n < BLOCK) {
            throw new EOFException("truncated tar header");
        }
        return true;
    }

    private static byte[] readData(InputStream in, long size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        copy(in, out, size);
        skipPadding(in, size);
        return out.toByteArray();
    }

    private static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new EOFException("truncated tar entry");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static void skipPadding(InputStream in, long size) throws IOException {
        skip(in, (BLOCK - size % BLOCK) % BLOCK);
    }

    private static void skip(InputStream in, long n) throws IOException {
        in.skipNBytes(n);
    }
}

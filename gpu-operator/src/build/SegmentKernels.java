import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the Java 22+ variant of the vector kernels: the same sources with every weight buffer read as
 * a {@code MemorySegment} ({@code fromMemorySegment}) instead of a {@code ByteBuffer}
 * ({@code fromByteBuffer}, which Java 19 removed). C2 hoists a segment's bounds and liveness checks
 * out of the kernels' loops; a buffer's are repeated at every load. The build compiles the output
 * into the jar's META-INF/versions/22, so a Java 22+ JVM runs it and Java 17 the sources as written.
 *
 * <p>Every rewrite must match: when the sources change shape the build fails here, instead of
 * generating a variant that no longer corresponds to them.
 *
 * <p>Usage: {@code java SegmentKernels.java <ops source dir> <output ops dir>} (run by the
 * segment-kernels profile of gpu-operator/pom.xml). Besides the sources it writes {@code sources.txt},
 * the javac argument file that names them, so the list of classes lives here only.
 */
public class SegmentKernels {
    private static final List<String> KERNELS = List.of("PanelGemm", "PanelTiles", "FourPanelTiles", "StagedPanels",
            "StagedWideTiles", "SixRowTiles", "StreamTiles16", "Int8Panels");
    private static final List<String> WRITTEN = new ArrayList<>();

    public static void main(String[] args) throws IOException {
        Path src = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        for (String k : KERNELS) {
            String s = imports(read(src, k));
            if (k.equals("PanelGemm")) { // the entry point: one segment over the packed panels per matmul
                s = replace(s, "ByteBuffer p = w.packed();", "MemorySegment p = MemorySegment.ofBuffer(w.packed());", k);
            } else { // PanelGemm only passes the segment on to the tiles
                s = loads(s);
            }
            if (k.equals("SixRowTiles")) { // the high half by two shifts: SixRowTiles says why
                s = replace(s, "IntVector vh = v.and(HIGH);",
                        "IntVector vh = v.lanewise(VectorOperators.LSHR, 16).lanewise(VectorOperators.LSHL, 16);", k);
            }
            s = regex(s, "\\bByteBuffer p\\b", "MemorySegment p", k);
            write(out, k, s);
        }
        write(out, "VectorOps", vectorOps(common(read(src, "VectorOps"))));
        String h = common(read(src, "HardwareLimits"));
        h = replace(h, "private static void readLoop(ByteBuffer b) {", "private static void readLoop(MemorySegment b) {", "HardwareLimits");
        h = replace(h, "private static int readBlock(ByteBuffer b,", "private static int readBlock(MemorySegment b,", "HardwareLimits");
        h = replace(h, "int bytes = b.capacity();", "int bytes = (int) b.byteSize();", "HardwareLimits");
        h = replace(h, "readLoop(b);", "readLoop(MemorySegment.ofBuffer(b));", "HardwareLimits");
        write(out, "HardwareLimits", h);
        Files.write(out.resolve("sources.txt"), WRITTEN);
    }

    /** The unpacked row kernels read the mapped checkpoint through one segment per matmul. */
    private static String vectorOps(String s) {
        String f = "VectorOps";
        s = replace(s, "public final class VectorOps implements Ops {\n", "public final class VectorOps implements Ops {\n"
                + "    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);\n"
                + "    private static final ValueLayout.OfShort S16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);\n", f);
        // the Java 17 check refuses this JVM; this variant is what it asks for
        s = replace(s, "        VectorApiVersion.require();\n", "", f);
        s = replaceFirst(s, "        ByteBuffer bb = w.bytes();\n",
                "        ByteBuffer bb = w.bytes();\n        MemorySegment seg = MemorySegment.ofBuffer(bb);\n", f);
        for (String m : List.of("f32Rows", "pairRowsBf16", "pairRowsF16")) {
            s = replace(s, "private static void " + m + "(ByteBuffer bb,", "private static void " + m + "(MemorySegment bb,", f);
            s = replace(s, m + "(bb, cols,", m + "(seg, cols,", f);
        }
        s = regex(s, "bb\\.getFloat\\((o[0-3] \\+ kb)\\)", "bb.get(F32_LE, $1)", f);
        s = regex(s, "Floats\\.(bf16|f16)\\(bb\\.getShort\\((o[0-3] \\+ kb)\\)\\)", "Floats.$1(bb.get(S16_LE, $2))", f);
        return s;
    }

    private static String imports(String s) {
        return replace(s, "import java.nio.ByteBuffer;\n",
                "import java.lang.foreign.MemorySegment;\nimport java.lang.foreign.ValueLayout;\nimport java.nio.ByteBuffer;\n", "imports");
    }

    private static String loads(String s) {
        return regex(s, "(\\w+Vector)\\.fromByteBuffer\\(", "$1.fromMemorySegment(", "loads");
    }

    private static String common(String s) {
        return loads(imports(s));
    }

    private static String read(Path dir, String cls) throws IOException {
        return Files.readString(dir.resolve(cls + ".java"));
    }

    private static void write(Path dir, String cls, String s) throws IOException {
        if (s.contains("fromByteBuffer(")) {
            throw new IllegalStateException(cls + ": a fromByteBuffer call is left");
        }
        Path file = dir.resolve(cls + ".java");
        Files.writeString(file, "// GENERATED by gpu-operator/src/build/SegmentKernels.java from " + cls
                + ".java: do not edit\n" + s);
        WRITTEN.add("\"" + file.toAbsolutePath() + "\""); // quoted: javac argument files split on spaces
    }

    private static String replace(String s, String from, String to, String where) {
        if (!s.contains(from)) {
            throw new IllegalStateException(where + ": '" + from.strip() + "' not found");
        }
        return s.replace(from, to);
    }

    private static String replaceFirst(String s, String from, String to, String where) {
        int i = s.indexOf(from);
        if (i < 0) {
            throw new IllegalStateException(where + ": '" + from.strip() + "' not found");
        }
        return s.substring(0, i) + to + s.substring(i + from.length());
    }

    private static String regex(String s, String pattern, String to, String where) {
        Matcher m = Pattern.compile(pattern).matcher(s);
        if (!m.find()) {
            throw new IllegalStateException(where + ": /" + pattern + "/ not found");
        }
        return m.replaceAll(to);
    }
}

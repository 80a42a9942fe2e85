package io.latentflow.engine.ops;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Off-heap memory for one backend's packed weights, carved from chunks aligned to 2 MiB so that the
 * kernel can back them with transparent huge pages.
 *
 * <p>Why: decode streams every active weight from memory, and on 4 KiB pages each page of the
 * stream costs a TLB miss. A read loop over 64 KB streams measured 17–20 GB/s on 4 KiB pages and
 * 24–26 on huge pages on this project's 2-core machine; the engine, whose kernels spend more
 * instructions per byte, decoded a few percent faster (README, Benchmarks). A direct buffer per
 * matrix gets no huge pages: a 1–3 MiB allocation is its own mapping and rarely holds an aligned
 * 2 MiB range. The kernel gives huge pages
 * to unadvised memory only when {@code /sys/kernel/mm/transparent_hugepage/enabled} is
 * {@code always}; Java cannot madvise a direct buffer, so under {@code madvise} (Debian's default)
 * the weights stay on 4 KiB pages ({@link #hugePageMode()} is logged at load).
 *
 * <p>Chunks grow with what was allocated so far (4 MiB to 64 MiB), so a tiny test model does not pin
 * a large chunk; an allocation larger than a chunk gets a buffer of its own, also aligned. A chunk is
 * freed with the last weight sliced from it, when the backend's weights become unreachable.
 */
final class PackedArena {
    static final int HUGE_PAGE = 2 << 20;
    private static final int MIN_CHUNK = 4 << 20;
    private static final int MAX_CHUNK = 64 << 20;
    /** Slices start on cache-line and vector boundaries: 64 bytes. */
    private static final int ALIGN = 64;
    private static final Path THP_ENABLED = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");

    private ByteBuffer chunk;
    private long allocated;

    /** A zeroed little-endian buffer of exactly {@code bytes}, 64-byte aligned. */
    synchronized ByteBuffer allocate(long bytes) {
        int n = Math.toIntExact(bytes);
        allocated += n;
        int size = (int) Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, allocated));
        if (n > size / 2) {
            return aligned(n);
        }
        if (chunk == null || chunk.remaining() < n) {
            chunk = aligned(size);
        }
        ByteBuffer s = chunk.slice(chunk.position(), n).order(ByteOrder.LITTLE_ENDIAN);
        chunk.position(Math.min(chunk.limit(), chunk.position() + ((n + ALIGN - 1) & -ALIGN)));
        return s;
    }

    /** Bytes handed out so far. */
    synchronized long allocated() {
        return allocated;
    }

    /** bytes starting on a 2 MiB boundary: one spare huge page absorbs the misalignment. */
    private static ByteBuffer aligned(int bytes) {
        int rounded = Math.addExact(bytes, HUGE_PAGE - 1) & -HUGE_PAGE;
        return ByteBuffer.allocateDirect(Math.addExact(rounded, HUGE_PAGE)).alignedSlice(HUGE_PAGE).limit(bytes)
                .slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The kernel's transparent huge page mode, the bracketed word of
     * {@code /sys/kernel/mm/transparent_hugepage/enabled} ("always", "madvise", "never"), or
     * "unknown" where there is no such file (not Linux, or a kernel without THP).
     */
    static String hugePageMode() {
        try {
            String s = Files.readString(THP_ENABLED);
            int a = s.indexOf('[');
            int b = s.indexOf(']', a + 1);
            return a >= 0 && b > a ? s.substring(a + 1, b) : "unknown";
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}

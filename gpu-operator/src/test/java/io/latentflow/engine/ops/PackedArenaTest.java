package io.latentflow.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PackedArenaTest {

    @Test
    void slicesAreExactZeroedAlignedAndDisjoint() {
        PackedArena arena = new PackedArena();
        int[] sizes = {100, 64, 4096, 1, 333_333, 3 << 20, 12_345, 40 << 20, 7};
        List<ByteBuffer> slices = new ArrayList<>();
        for (int size : sizes) {
            ByteBuffer b = arena.allocate(size);
            assertEquals(size, b.capacity(), "capacity");
            assertTrue(b.isDirect(), "off-heap");
            assertEquals(ByteOrder.LITTLE_ENDIAN, b.order());
            assertEquals(0, b.alignmentOffset(0, 64), "64-byte aligned");
            for (int i = 0; i < size; i += 4093) {
                assertEquals(0, b.get(i), "zeroed at " + i);
            }
            slices.add(b);
        }
        // each slice filled with its own index: a later one overlapping an earlier one would show
        for (int s = 0; s < slices.size(); s++) {
            ByteBuffer b = slices.get(s);
            for (int i = 0; i < b.capacity(); i++) {
                b.put(i, (byte) (s + 1));
            }
        }
        for (int s = 0; s < slices.size(); s++) {
            ByteBuffer b = slices.get(s);
            for (int i = 0; i < b.capacity(); i += 997) {
                assertEquals(s + 1, b.get(i), "slice " + s + " at " + i);
            }
            assertEquals(s + 1, b.get(b.capacity() - 1), "slice " + s + " last byte");
        }
        long total = 0;
        for (int size : sizes) {
            total += size;
        }
        assertEquals(total, arena.allocated());
    }

    @Test
    void chunksAndLargeAllocationsStartOnAHugePage() {
        PackedArena arena = new PackedArena();
        ByteBuffer first = arena.allocate(1000); // opens the first chunk
        assertEquals(0, first.alignmentOffset(0, PackedArena.HUGE_PAGE));
        ByteBuffer large = arena.allocate(10 << 20); // larger than half a chunk: a buffer of its own
        assertEquals(0, large.alignmentOffset(0, PackedArena.HUGE_PAGE));
        assertEquals(10 << 20, large.capacity());
    }

    @Test
    void hugePageModeIsAKernelWordOrUnknown() {
        assertTrue(Set.of("always", "madvise", "never", "unknown").contains(PackedArena.hugePageMode()),
                PackedArena.hugePageMode());
    }
}

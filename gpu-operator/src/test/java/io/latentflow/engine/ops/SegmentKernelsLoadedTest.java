package io.latentflow.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.latentflow.engine.tensor.DType;
import io.latentflow.engine.tensor.Weight;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * On Java 22+ the jar's META-INF/versions/22 kernels run: they read weights as MemorySegments, and
 * VectorOps starts instead of refusing the JVM. The build runs this under JAVA22_HOME against the jar
 * (gpu-operator/pom.xml, profile segment-kernels); on Java 17 there is nothing to check.
 */
class SegmentKernelsLoadedTest {

    @Test
    void theKernelsReadMemorySegmentsAndVectorOpsStarts() {
        assumeTrue(Runtime.version().feature() >= 22, "the segment kernels are for Java 22+");
        for (Class<?> c : new Class<?>[] {PanelGemm.class, PanelTiles.class, FourPanelTiles.class, StagedPanels.class,
                StagedWideTiles.class, SixRowTiles.class, StreamTiles16.class, Int8Panels.class}) {
            assertTrue(Arrays.stream(c.getDeclaredMethods()).map(Method::getParameterTypes).flatMap(Arrays::stream)
                    .anyMatch(t -> t.getName().equals("java.lang.foreign.MemorySegment")), c + " reads segments");
        }
        try (VectorOps ops = new VectorOps(2)) {
            ByteBuffer three = ByteBuffer.allocateDirect(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(0, 3f);
            float[] y = new float[1];
            ops.matmul(new Weight("w", DType.F32, 1, 1, three, null), new float[] {2f}, 0, 1, y, 0, 1, 1);
            assertEquals(6f, y[0]);
        }
    }
}

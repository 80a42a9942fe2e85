package io.latentflow.engine.ops;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector kernels read weights with Java 17's incubating Vector API: {@code fromByteBuffer} on
 * direct (memory-mapped) buffers. Java 19 replaced those methods with MemorySegment access, so on a
 * newer JVM the first matmul would die with a NoSuchMethodError deep in a kernel; {@link VectorOps}
 * checks up front instead and says what to do. (Java 22+ runs the jar's segment variant of the
 * kernels where the build made one, src/build/SegmentKernels.java, and that variant skips this check.)
 */
final class VectorApiVersion {
    private VectorApiVersion() {
    }

    /** Throws with what to do when this JVM's Vector API lacks the buffer access the kernels use. */
    static void require() {
        String problem = problem(IntVector.class, Runtime.version().feature());
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
    }

    /** Null when {@code intVector} has {@code fromByteBuffer}; else the message for a Java {@code feature} JVM. */
    static String problem(Class<?> intVector, int feature) {
        try {
            intVector.getMethod("fromByteBuffer", VectorSpecies.class, ByteBuffer.class, int.class, ByteOrder.class);
            return null;
        } catch (NoSuchMethodException e) {
            return "the vector backends (vector, vector-int8) are built on Java 17's incubating Vector API"
                    + " (IntVector.fromByteBuffer over memory-mapped weights), which Java 19 replaced; this JVM is"
                    + " Java " + feature + ": run the engine on Java 17, or on Java 22+ with the kernels built for it"
                    + " (build with JAVA22_HOME set to a JDK 22+), or choose the scalar backend";
        }
    }
}

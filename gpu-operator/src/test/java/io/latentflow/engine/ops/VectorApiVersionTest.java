package io.latentflow.engine.ops;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.IntVector;
import org.junit.jupiter.api.Test;

/** A JVM whose Vector API lacks the kernels' buffer access is refused with what to do, not a NoSuchMethodError. */
class VectorApiVersionTest {

    @Test
    void java17sVectorApiHasTheBufferAccess() {
        assertNull(VectorApiVersion.problem(IntVector.class, 17));
        VectorApiVersion.require();
    }

    @Test
    void anApiWithoutItIsNamedWithTheWayOut() {
        // a class without fromByteBuffer stands in for IntVector of Java 19 and later
        String problem = VectorApiVersion.problem(String.class, 21);
        assertNotNull(problem);
        assertTrue(problem.contains("Java 21"), problem);
        assertTrue(problem.contains("fromByteBuffer"), problem);
        assertTrue(problem.contains("Java 17") && problem.contains("scalar"), problem);
        assertTrue(problem.contains("Java 22+") && problem.contains("JAVA22_HOME"), problem);
    }
}

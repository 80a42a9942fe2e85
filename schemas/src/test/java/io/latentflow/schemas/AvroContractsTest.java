package io.latentflow.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentflow.schemas.avro.InferenceResult;
import java.time.Instant;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

/** The committed contracts themselves (no registry). */
class AvroContractsTest {

  @Test
  void allInTheAgreedNamespaceWithMillisTimestamps() {
    for (Schema s : Contracts.all()) {
      assertEquals("io.latentflow.schemas.avro", s.getNamespace(), s.getFullName());
      for (Schema.Field f : s.getFields()) {
        if (f.name().endsWith("_time")) {
          Schema t = f.schema().isNullable() ? f.schema().getTypes().get(1) : f.schema();
          assertEquals(LogicalTypes.timestampMillis(), t.getLogicalType(), s.getName() + "." + f.name());
        }
      }
    }
  }

  @Test
  void addingADefaultedFieldIsBackwardCompatibleAndARequiredOneIsNot() {
    for (Schema s : Contracts.all()) {
      assertEquals(SchemaCompatibilityType.COMPATIBLE, SchemaCompatibility
          .checkReaderWriterCompatibility(Contracts.withDefaultedField(s), s).getType(), s.getName());
      assertEquals(SchemaCompatibilityType.INCOMPATIBLE, SchemaCompatibility
          .checkReaderWriterCompatibility(Contracts.withRequiredField(s), s).getType(), s.getName());
    }
  }

  @Test
  void generatedClassesUseStringsAndInstants() throws Exception {
    InferenceResult r = Samples.classifyResult();
    assertTrue(r.getSourceTopic() instanceof String);
    assertTrue(r.getInferenceTime() instanceof Instant);
    assertEquals(String.class, InferenceResult.class.getMethod("getEventKey").getReturnType());
    assertTrue(Samples.generateResult().getLabelDistribution().isEmpty(), "generate results default to []");
  }
}

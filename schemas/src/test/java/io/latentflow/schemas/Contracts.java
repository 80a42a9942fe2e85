package io.latentflow.schemas;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentflow.schemas.avro.CustomerTicket;
import io.latentflow.schemas.avro.DeadLetter;
import io.latentflow.schemas.avro.GameEvent;
import io.latentflow.schemas.avro.InferenceResult;
import io.latentflow.schemas.avro.LogisticsEvent;
import java.util.List;
import org.apache.avro.Schema;

/** The five committed contracts and evolved copies of them. */
final class Contracts {

  static final ObjectMapper JSON = new ObjectMapper();

  static List<Schema> all() {
    return List.of(LogisticsEvent.getClassSchema(), CustomerTicket.getClassSchema(), GameEvent.getClassSchema(),
        InferenceResult.getClassSchema(), DeadLetter.getClassSchema());
  }

  /** A copy of {@code schema} with one more top-level field, given as JSON. */
  static Schema withAddedField(Schema schema, String fieldJson) {
    try {
      ObjectNode root = (ObjectNode) JSON.readTree(schema.toString());
      ((ArrayNode) root.get("fields")).add(JSON.readTree(fieldJson));
      return new Schema.Parser().parse(root.toString());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Schema withDefaultedField(Schema schema) {
    return withAddedField(schema, "{\"name\":\"added_region\",\"type\":[\"null\",\"string\"],\"default\":null}");
  }

  static Schema withRequiredField(Schema schema) {
    return withAddedField(schema, "{\"name\":\"added_region\",\"type\":\"string\"}");
  }

  private Contracts() {
  }
}

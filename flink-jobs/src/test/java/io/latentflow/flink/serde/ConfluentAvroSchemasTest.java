package io.latentflow.flink.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.latentflow.embedded.EmbeddedApicurio;
import io.latentflow.schemas.RegistryConfig;
import io.latentflow.schemas.WireFormatException;
import io.latentflow.schemas.avro.GameEvent;
import io.latentflow.schemas.samples.SampleEvents;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Flink (de)serialization schemas round-trip through a real registry. */
@Timeout(120)
class ConfluentAvroSchemasTest {

    @Test
    void roundTripThroughTheRegistry() {
        try (EmbeddedApicurio registry = EmbeddedApicurio.start()) {
            RegistryConfig config = RegistryConfig.of(registry.confluentApiUrl());
            GameEvent event = (GameEvent) new SampleEvents(5).game(3).value();
            byte[] bytes = new ConfluentAvroSerializationSchema<GameEvent>(config, "game.events", true).serialize(event);
            assertEquals(0, bytes[0], "magic byte");

            assertEquals(event, ConfluentAvroDeserializationSchema.forSpecific(config, GameEvent.class)
                    .deserialize(bytes));
            GenericRecord generic = ConfluentAvroDeserializationSchema.forGeneric(config).deserialize(bytes);
            assertEquals(event.getPlayerUtterance(), generic.get("player_utterance").toString());
            assertThrows(WireFormatException.class,
                    () -> ConfluentAvroDeserializationSchema.forGeneric(config).deserialize(new byte[] {1, 2}));
        }
    }
}

package io.latentflow.schemas;

import io.latentflow.schemas.avro.CustomerTicket;
import io.latentflow.schemas.avro.DeadLetter;
import io.latentflow.schemas.avro.GameEvent;
import io.latentflow.schemas.avro.InferenceResult;
import io.latentflow.schemas.avro.InferenceTask;
import io.latentflow.schemas.avro.LabelProbability;
import io.latentflow.schemas.avro.Lane;
import io.latentflow.schemas.avro.LogisticsEvent;
import io.latentflow.schemas.avro.Quantities;
import io.latentflow.schemas.avro.ShipmentStatus;
import io.latentflow.schemas.avro.TicketChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** One realistic instance of each contract. */
final class Samples {

  static final Instant T0 = Instant.parse("2025-03-01T08:15:30.123Z");

  static LogisticsEvent logistics() {
    return LogisticsEvent.newBuilder()
        .setEventId("ev-1").setShipmentId("SHP-4711")
        .setLane(Lane.newBuilder().setOrigin("KR-ULS").setDestination("DE-ERF").build())
        .setSite("DE-HAM-PORT").setCarrier("OceanLine").setStatus(ShipmentStatus.CUSTOMS_HOLD)
        .setPlannedTime(T0).setActualTime(T0.plusSeconds(3600))
        .setQuantities(Quantities.newBuilder().setCells(120_000L).setPallets(40).setWeightKg(18_250.5).build())
        .setNotes("Held: missing UN38.3 test summary for lot 7 — äöü")
        .setEventTime(T0.plusSeconds(3700))
        .build();
  }

  static CustomerTicket ticket() {
    return CustomerTicket.newBuilder().setTicketId("T-1").setCustomerId("C-9").setChannel(TicketChannel.CHAT)
        .setSubject("Battery swelling").setBody("My pack shows 3% capacity loss per week.").setLanguage("en")
        .setCreatedTime(T0).build();
  }

  static GameEvent game() {
    return GameEvent.newBuilder().setPlayerId("p1").setSessionId("s1").setNpcId("blacksmith")
        .setEventType("DIALOGUE").setPlayerUtterance("Can you fix my sword?")
        .setSceneContext("A forge at dusk; the blacksmith is tired.").setEventTime(T0).build();
  }

  static InferenceResult classifyResult() {
    return InferenceResult.newBuilder().setSourceTopic("logistics-events").setSourcePartition(3).setSourceOffset(42L)
        .setEventKey("SHP-4711").setPipeline("logistics-triage").setModelId("deepseek-tiny")
        .setModelContentHash("sha256:abc").setTask(InferenceTask.CLASSIFY).setLabel("CUSTOMS")
        .setLabelDistribution(List.of(new LabelProbability("CUSTOMS", 0.9), new LabelProbability("DELAY", 0.1)))
        .setGeneratedText(null).setPromptTokens(128).setGeneratedTokens(0).setQueueLatencyMs(3L)
        .setComputeLatencyMs(17L).setBatchId(7L).setEventTime(T0).setInferenceTime(T0.plusMillis(20)).build();
  }

  static InferenceResult generateResult() {
    return InferenceResult.newBuilder().setSourceTopic("game-events").setSourcePartition(0).setSourceOffset(1L)
        .setPipeline("npc-dialogue").setModelId("deepseek-tiny").setModelContentHash("sha256:abc")
        .setTask(InferenceTask.GENERATE).setGeneratedText("Aye, leave it on the anvil.")
        .setPromptTokens(64).setGeneratedTokens(9).setQueueLatencyMs(1L).setComputeLatencyMs(40L).setBatchId(8L)
        .setInferenceTime(T0).build();
  }

  static DeadLetter deadLetter() {
    return DeadLetter.newBuilder().setOriginalKey(null)
        .setOriginalValue(ByteBuffer.wrap("{not avro".getBytes(StandardCharsets.UTF_8)))
        .setSourceTopic("tickets").setSourcePartition(1).setSourceOffset(99L)
        .setErrorClass(WireFormatException.class.getName()).setErrorMessage("unknown magic byte 0x7b")
        .setPipeline("ticket-routing").setDeadLetterTime(T0).build();
  }

  static List<SpecificRecord> all() {
    return List.of(logistics(), ticket(), game(), classifyResult(), generateResult(), deadLetter());
  }

  private Samples() {
  }
}

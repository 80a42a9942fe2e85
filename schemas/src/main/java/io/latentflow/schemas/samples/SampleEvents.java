package io.latentflow.schemas.samples;

import io.latentflow.schemas.avro.CustomerTicket;
import io.latentflow.schemas.avro.GameEvent;
import io.latentflow.schemas.avro.Lane;
import io.latentflow.schemas.avro.LogisticsEvent;
import io.latentflow.schemas.avro.Quantities;
import io.latentflow.schemas.avro.ShipmentStatus;
import io.latentflow.schemas.avro.TicketChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.avro.specific.SpecificRecord;

/**
 * Plausible events of the three shipped streams, deterministic per seed: a battery maker's
 * shipments, an online shop's support tickets, an online game's player utterances. For the demo's
 * generators and the integration tests.
 */
public final class SampleEvents {

    /** An event with the Kafka key it is produced under (shipment, ticket or session id). */
    public record Keyed(String key, SpecificRecord value) {
    }

    private static final List<String> SITES = List.of("Ningde", "Shanghai", "Rotterdam", "Hamburg", "Budapest",
            "Debrecen", "Arnstadt", "Gdansk", "Busan", "Monterrey");
    private static final List<String> CARRIERS = List.of("Maersk", "COSCO", "DB Schenker", "DHL Freight",
            "Kuehne+Nagel", "CMA CGM");
    private static final List<String> NOTES = List.of("reefer unit checked", "customs documents pending",
            "pallet wrap damaged", "driver reports traffic on A4", "awaiting berth", "temperature log attached");
    private static final List<String[]> TICKETS = List.of(
            new String[] {"Refund not received", "I returned the order two weeks ago and still have no refund."},
            new String[] {"Parcel late", "My parcel was due on Monday and the tracking has not moved since."},
            new String[] {"Charger broken", "The charger stopped working after three days and smells burnt."},
            new String[] {"Cannot log in", "The password reset link says it has expired every time."},
            new String[] {"Charged twice", "My card was charged twice for the same order."},
            new String[] {"Wrong size", "I ordered size M and received XL, how do I exchange it?"});
    private static final List<String> NPCS = List.of("blacksmith", "innkeeper", "captain", "herbalist", "guard");
    private static final List<String> UTTERANCES = List.of("Can you repair my sword?", "Any news from the north?",
            "How much for a room tonight?", "Have you seen a stranger with a red cloak?",
            "Which potion helps against frost?", "Let me through the gate.");
    private static final List<String> SCENES = List.of("a smoky forge at dusk", "a crowded tavern during a storm",
            "the harbour at dawn", "a quiet herb garden", "the city gate under siege");

    private final SplittableRandom rnd;
    private final Instant start = Instant.parse("2026-11-01T08:00:00Z");
    private long n;

    public SampleEvents(long seed) {
        this.rnd = new SplittableRandom(seed);
    }

    private <T> T pick(List<T> options) {
        return options.get(rnd.nextInt(options.size()));
    }

    /** Shipment events; {@code shipments} distinct shipments so that keys repeat and order per key matters. */
    public Keyed logistics(int shipments) {
        long i = n++;
        String shipment = "SHP-" + (1000 + rnd.nextInt(shipments));
        String origin = pick(SITES);
        String destination = pick(SITES);
        Instant planned = start.plus(Duration.ofHours(rnd.nextInt(24 * 30)));
        ShipmentStatus status = ShipmentStatus.values()[1 + rnd.nextInt(ShipmentStatus.values().length - 1)];
        LogisticsEvent e = LogisticsEvent.newBuilder()
                .setEventId("EVT-" + i)
                .setShipmentId(shipment)
                .setLane(new Lane(origin, destination))
                .setSite(pick(SITES))
                .setCarrier(pick(CARRIERS))
                .setStatus(status)
                .setPlannedTime(planned)
                .setActualTime(rnd.nextBoolean() ? planned.plus(Duration.ofMinutes(rnd.nextInt(-600, 3000))) : null)
                .setQuantities(new Quantities((long) rnd.nextInt(1, 50) * 480, rnd.nextInt(1, 40),
                        Math.round(rnd.nextDouble(100, 20000) * 10) / 10.0))
                .setNotes(rnd.nextInt(3) == 0 ? pick(NOTES) : null)
                .setEventTime(start.plus(Duration.ofSeconds(i)))
                .build();
        return new Keyed(shipment, e);
    }

    public Keyed ticket() {
        long i = n++;
        String[] t = pick(TICKETS);
        String id = "TCK-" + (50000 + i);
        CustomerTicket c = CustomerTicket.newBuilder()
                .setTicketId(id)
                .setCustomerId("CUST-" + rnd.nextInt(1, 5000))
                .setChannel(TicketChannel.values()[rnd.nextInt(TicketChannel.values().length)])
                .setSubject(t[0])
                .setBody(t[1])
                .setLanguage("en")
                .setCreatedTime(start.plus(Duration.ofSeconds(i)))
                .build();
        return new Keyed(id, c);
    }

    public Keyed game(int sessions) {
        long i = n++;
        String session = "SES-" + rnd.nextInt(sessions);
        GameEvent g = GameEvent.newBuilder()
                .setPlayerId("PLY-" + rnd.nextInt(1, 900))
                .setSessionId(session)
                .setNpcId(pick(NPCS))
                .setEventType("utterance")
                .setPlayerUtterance(pick(UTTERANCES))
                .setSceneContext(pick(SCENES))
                .setEventTime(start.plus(Duration.ofSeconds(i)))
                .build();
        return new Keyed(session, g);
    }
}

package io.latentflow.flink.samples;

import io.latentflow.flink.spec.PipelineSpec;
import io.latentflow.flink.spec.PromptTemplate;
import io.latentflow.schemas.ConfluentAvroSerializer;
import io.latentflow.schemas.samples.SampleEvents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * The record-level bad inputs of docs/bad-input.md, made from a good event of a pipeline's input stream, each with
 * the words its dead letter's reason must contain. The bad-input ITCase plants all of them in one job run, and
 * {@code latentflow demo --inject-bad N} cycles through them.
 */
public final class BadRecords {

    /** One kind of bad record; the order is the catalogue's. */
    public enum Kind {
        TOMBSTONE, EMPTY_VALUE, SHORT_HEADER, JSON_VALUE, WRONG_MAGIC_BYTE, UNKNOWN_SCHEMA_ID, TRUNCATED_BODY,
        TRAILING_BYTES, NEGATIVE_LENGTH, HUGE_LENGTH, OVERLONG_VARINT, INVALID_UTF8, NOT_A_RECORD, UNRELATED_SCHEMA,
        INCOMPATIBLE_SCHEMA, NULL_REQUIRED_FIELD, EMPTY_PROMPT, PROMPT_OVER_CONTEXT, ONE_MEGABYTE_FIELD
    }

    /** A bad record: its Kafka key and value (null for a tombstone) and what its dead letter's reason must say. */
    public record Bad(Kind kind, String key, byte[] value, String reason) {
    }

    /** Long enough to exceed the tiny demo model's 1024 positions; a real model's context needs ONE_MEGABYTE_FIELD. */
    static final int OVER_CONTEXT_CHARS = 20_000;
    /** One million characters: with the record around it, just under Kafka's default 1 MiB message limit. */
    static final int ONE_MEGABYTE_CHARS = 1_000_000;

    private final PipelineSpec spec;
    private final ConfluentAvroSerializer<Object> avro;
    private final PromptTemplate template;

    /** @param avro serializer (auto-registering) on the pipeline's registry */
    public BadRecords(PipelineSpec spec, ConfluentAvroSerializer<Object> avro) {
        this.spec = spec;
        this.avro = avro;
        this.template = PromptTemplate.parse(spec.template());
    }

    /** The kinds that are bad for this pipeline: an empty prompt needs a template whose literal text is blank. */
    public List<Kind> kinds() {
        List<Kind> out = new ArrayList<>(Arrays.asList(Kind.values()));
        if (!template.literalsBlank()) {
            out.remove(Kind.EMPTY_PROMPT);
        }
        return out;
    }

    /** A bad record of {@code kind} made from {@code good}, an event of the pipeline's input topic. */
    public Bad make(Kind kind, SampleEvents.Keyed good) {
        String topic = spec.source().topic();
        String key = "bad-" + kind.name().toLowerCase().replace('_', '-') + "-" + good.key();
        byte[] valid = avro.serialize(topic, false, good.value());
        byte[] header = Arrays.copyOf(valid, 5);
        String text = textField(good.value().getSchema());
        switch (kind) {
            case TOMBSTONE:
                return new Bad(kind, key, null, "tombstone");
            case EMPTY_VALUE:
                return new Bad(kind, key, new byte[0], "0 bytes, a Confluent Avro payload needs at least 5");
            case SHORT_HEADER:
                return new Bad(kind, key, new byte[] {0, 0, 1}, "3 bytes, a Confluent Avro payload needs at least 5");
            case JSON_VALUE:
                return new Bad(kind, key, ("{\"" + text + "\": \"not avro\"}").getBytes(StandardCharsets.UTF_8),
                        "(looks like JSON)");
            case WRONG_MAGIC_BYTE: {
                byte[] v = valid.clone();
                v[0] = 1;
                return new Bad(kind, key, v, "unknown magic byte 0x01");
            }
            case UNKNOWN_SCHEMA_ID: {
                byte[] v = valid.clone();
                v[1] = v[2] = v[3] = v[4] = 0x7f;
                return new Bad(kind, key, v, "unknown schema id 2139062143");
            }
            case TRUNCATED_BODY:
                return new Bad(kind, key, Arrays.copyOf(valid, 5 + (valid.length - 5) / 2), "is truncated");
            case TRAILING_BYTES:
                return new Bad(kind, key, concat(valid, new byte[] {1, 2, 3}), "3 bytes left over");
            case NEGATIVE_LENGTH: // the first field of every sample stream is a string: its length is -1
                return new Bad(kind, key, concat(header, new byte[] {0x01}), "negative length -1");
            case HUGE_LENGTH: // a length of 2^40, zig-zag varint
                return new Bad(kind, key, concat(header, new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80,
                        (byte) 0x80, (byte) 0x80, 0x40, 'x'}), "has length 1099511627776 but only 1 bytes are left");
            case OVERLONG_VARINT: {
                byte[] v = new byte[11];
                Arrays.fill(v, (byte) 0xff);
                return new Bad(kind, key, concat(header, v), "varint at byte 5: longer than 10 bytes");
            }
            case INVALID_UTF8: { // the first byte of the first string field becomes 0xff
                byte[] v = valid.clone();
                int at = 5;
                while ((v[at] & 0x80) != 0) {
                    at++; // past the length varint
                }
                v[at + 1] = (byte) 0xff;
                return new Bad(kind, key, v, "is not valid UTF-8: byte 0xff at byte " + (at + 1));
            }
            case NOT_A_RECORD:
                return new Bad(kind, key, avro.serializeToSubject("latentflow-bad-string-value", "just a string"),
                        "is a string, not a record");
            case UNRELATED_SCHEMA: {
                Schema other = new Schema.Parser().parse("{\"type\": \"record\", \"name\": \"Unrelated\", "
                        + "\"namespace\": \"latentflow.bad\", \"fields\": [{\"name\": \"id\", \"type\": \"string\"}]}");
                GenericRecord r = new GenericData.Record(other);
                r.put("id", key);
                return new Bad(kind, key, avro.serializeToSubject("latentflow-bad-unrelated-value", r),
                        "is not in schema latentflow.bad.Unrelated");
            }
            case INCOMPATIBLE_SCHEMA: { // the same record name without the template's text field
                GenericRecord g = generic(good.value());
                Schema s = withField(g.getSchema(), text, null);
                return new Bad(kind, key, avro.serializeToSubject("latentflow-bad-" + topic + "-incompatible-value",
                        copy(g, s, text, null)), "template field '" + text + "' is not in schema "
                        + s.getFullName());
            }
            case NULL_REQUIRED_FIELD: { // the text field made nullable, and null
                GenericRecord g = generic(good.value());
                Schema f = g.getSchema().getField(text).schema();
                Schema s = withField(g.getSchema(), text,
                        Schema.createUnion(Schema.create(Schema.Type.NULL), f));
                return new Bad(kind, key, avro.serializeToSubject("latentflow-bad-" + topic + "-nullable-value",
                        copy(g, s, text, null)), "template field '" + text + "' is null");
            }
            case EMPTY_PROMPT: { // every template field empty
                GenericRecord g = generic(good.value());
                for (String path : template.fieldPaths()) {
                    String[] p = path.split("\\.");
                    GenericRecord at = g;
                    for (int i = 0; i < p.length - 1; i++) {
                        at = (GenericRecord) at.get(p[i]);
                    }
                    at.put(p[p.length - 1], "");
                }
                return new Bad(kind, key, avro.serializeToSubject("latentflow-bad-" + topic + "-empty-value", g),
                        "empty prompt");
            }
            case PROMPT_OVER_CONTEXT:
                return new Bad(kind, key, withText(good, topic, text, OVER_CONTEXT_CHARS), "max_position_embeddings");
            case ONE_MEGABYTE_FIELD:
                return new Bad(kind, key, withText(good, topic, text, ONE_MEGABYTE_CHARS),
                        " characters, more than max_position_embeddings"); // refused by its length, untokenized
            default:
                throw new AssertionError(kind);
        }
    }

    /** The first top-level string field the template reads that is not the key field. */
    private String textField(Schema schema) {
        for (String path : template.fieldPaths()) {
            Schema.Field f = schema.getField(path);
            if (!path.contains(".") && !path.equals(spec.source().keyField()) && f != null
                    && f.schema().getType() == Schema.Type.STRING) {
                return path;
            }
        }
        throw new IllegalArgumentException("the template of pipeline " + spec.name()
                + " reads no top-level string field besides the key: no bad records can be made from its text");
    }

    private byte[] withText(SampleEvents.Keyed good, String topic, String field, int chars) {
        GenericRecord g = generic(good.value());
        String words = "lorem ipsum dolor sit amet, consectetur adipiscing elit ";
        g.put(field, words.repeat(chars / words.length() + 1).substring(0, chars));
        return avro.serializeToSubject("latentflow-bad-" + topic + "-long-value", g);
    }

    /** The value as a GenericRecord of its schema (so that its schema can be changed). */
    private static GenericRecord generic(SpecificRecord value) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder e = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<SpecificRecord>(value.getSchema()).write(value, e);
            e.flush();
            return new GenericDatumReader<GenericRecord>(value.getSchema())
                    .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The record schema with field {@code name} of type {@code type} (default null), or without it when null. */
    private static Schema withField(Schema s, String name, Schema type) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : s.getFields()) {
            if (!f.name().equals(name)) {
                fields.add(new Schema.Field(f, f.schema()));
            } else if (type != null) {
                fields.add(new Schema.Field(f.name(), type, f.doc(), JsonProperties.NULL_VALUE));
            }
        }
        return Schema.createRecord(s.getName(), s.getDoc(), s.getNamespace(), false, fields);
    }

    /** g's values in a record of schema s, with field {@code name} set to {@code value} where s has it. */
    private static GenericRecord copy(GenericRecord g, Schema s, String name, Object value) {
        GenericRecord r = new GenericData.Record(s);
        for (Schema.Field f : s.getFields()) {
            r.put(f.pos(), f.name().equals(name) ? value : g.get(f.name()));
        }
        return r;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

package io.latentflow.flink.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class PromptTemplateTest {
    /** Strings, a nested record, a timestamp and a nullable field: what templates meet. Shared with the fuzz test. */
    static final Schema SCHEMA = new Schema.Parser().parse("""
            {"type": "record", "name": "E", "fields": [
              {"name": "id", "type": "string"},
              {"name": "lane", "type": {"type": "record", "name": "Lane", "fields": [
                 {"name": "origin", "type": "string"}]}},
              {"name": "cells", "type": "long"},
              {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "notes", "type": ["null", "string"], "default": null}]}""");

    private static GenericRecord record(String notes) {
        GenericRecord lane = new GenericData.Record(SCHEMA.getField("lane").schema());
        lane.put("origin", "Ningde");
        GenericRecord r = new GenericData.Record(SCHEMA);
        r.put("id", "S-1");
        r.put("lane", lane);
        r.put("cells", 4800L);
        r.put("at", 0L);
        r.put("notes", notes);
        return r;
    }

    @Test
    void rendersFieldsNestedFieldsTimestampsAndBraces() {
        PromptTemplate t = PromptTemplate.parse("{id} from {lane.origin}: {cells} cells at {at} {{ok}} {notes}");
        assertEquals("S-1 from Ningde: 4800 cells at 1970-01-01T00:00:00Z {ok} dry", t.render(record("dry")));
        assertEquals(java.util.List.of("id", "lane.origin", "cells", "at", "notes"), t.fieldPaths());
    }

    @Test
    void aNullOrUnknownFieldIsAMissingField() {
        var e = assertThrows(PromptTemplate.MissingFieldException.class,
                () -> PromptTemplate.parse("{notes}").render(record(null)));
        assertEquals("template field 'notes' is null", e.getMessage());
        e = assertThrows(PromptTemplate.MissingFieldException.class,
                () -> PromptTemplate.parse("{lane.port}").render(record("x")));
        assertEquals("template field 'lane.port' is not in schema Lane", e.getMessage());
        e = assertThrows(PromptTemplate.MissingFieldException.class,
                () -> PromptTemplate.parse("{id.x}").render(record("x")));
        assertTrue(e.getMessage().contains("'id' is not a record"), e.getMessage());
    }

    @Test
    void malformedTemplatesAreRejected() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PromptTemplate.parse("a {id"))
                .getMessage().contains("unclosed '{' at character 2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PromptTemplate.parse("a } b"))
                .getMessage().contains("unmatched '}'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PromptTemplate.parse("{1x}"))
                .getMessage().contains("'1x'"));
    }
}

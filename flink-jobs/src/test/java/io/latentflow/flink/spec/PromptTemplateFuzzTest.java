package io.latentflow.flink.spec;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Fuzzes {@link PromptTemplate#parse} and {@link PromptTemplate#render} on arbitrary template text over a fixed
 * record (strings, a nested record, a timestamp, a null). Allowed failures: {@link IllegalArgumentException} from
 * parse (a template syntax error) and {@link PromptTemplate.MissingFieldException} from render. A template without
 * braces must render to itself. Plain {@code mvn test} replays {@code PromptTemplateFuzzTestInputs/fuzz/};
 * {@code JAZZER_FUZZ=1} fuzzes (README).
 */
class PromptTemplateFuzzTest {
    private static final Schema SCHEMA = PromptTemplateTest.SCHEMA;
    private static final GenericRecord RECORD = new GenericData.Record(SCHEMA);

    static {
        GenericRecord lane = new GenericData.Record(SCHEMA.getField("lane").schema());
        lane.put("origin", "Ningde");
        RECORD.put("id", "S-1");
        RECORD.put("lane", lane);
        RECORD.put("cells", 4800L);
        RECORD.put("at", 0L);
        RECORD.put("notes", null);
    }

    @FuzzTest(maxDuration = "2m")
    void fuzz(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        PromptTemplate template;
        try {
            template = PromptTemplate.parse(text);
        } catch (IllegalArgumentException syntaxError) {
            if (!syntaxError.getMessage().contains("at character")) {
                throw new AssertionError("a syntax error without its position: " + syntaxError.getMessage());
            }
            return;
        }
        try {
            String prompt = template.render(RECORD);
            if (text.indexOf('{') < 0 && text.indexOf('}') < 0 && !prompt.equals(text)) {
                throw new AssertionError("literal template '" + text + "' rendered as '" + prompt + "'");
            }
        } catch (PromptTemplate.MissingFieldException missing) {
            if (!missing.getMessage().startsWith("template field '")) {
                throw new AssertionError("missing field without its name: " + missing.getMessage());
            }
        }
    }
}

package io.latentflow.flink.spec;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * A prompt template over an Avro record's fields: {@code {field}} or {@code {nested.field}} is
 * replaced by the value, {@code {{} and {@code }}} are literal braces. A field that the record's
 * schema lacks, or whose value is null, is a {@link MissingFieldException}: the record goes to the
 * dead-letter topic instead of becoming a prompt with a hole in it.
 */
public final class PromptTemplate implements Serializable {
    /** A field name or dotted path of field names, as a regular expression. */
    public static final String FIELD_PATH = "[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*";

    private final String source;
    private final List<String> literals = new ArrayList<>(); // literal before each field, then the tail
    private final List<String[]> fields = new ArrayList<>();  // dotted paths

    private PromptTemplate(String source) {
        this.source = source;
    }

    /** A missing or null template field; names the field path. */
    public static final class MissingFieldException extends RuntimeException {
        public MissingFieldException(String message) {
            super(message);
        }
    }

    public static PromptTemplate parse(String template) {
        PromptTemplate t = new PromptTemplate(template);
        StringBuilder lit = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char ch = template.charAt(i);
            if (ch == '{' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
                lit.append('{');
                i += 2;
            } else if (ch == '}' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
                lit.append('}');
                i += 2;
            } else if (ch == '{') {
                int end = template.indexOf('}', i);
                if (end < 0) {
                    throw new IllegalArgumentException("template has an unclosed '{' at character " + i);
                }
                String path = template.substring(i + 1, end).trim();
                if (!path.matches(FIELD_PATH)) {
                    throw new IllegalArgumentException("template field '" + path + "' at character " + i
                            + " is not a field name or dotted path");
                }
                t.literals.add(lit.toString());
                lit.setLength(0);
                t.fields.add(path.split("\\."));
                i = end + 1;
            } else if (ch == '}') {
                throw new IllegalArgumentException("template has an unmatched '}' at character " + i
                        + " (write '}}' for a literal brace)");
            } else {
                lit.append(ch);
                i++;
            }
        }
        t.literals.add(lit.toString());
        return t;
    }

    /** Field paths the template reads, dotted. */
    public List<String> fieldPaths() {
        List<String> out = new ArrayList<>();
        fields.forEach(f -> out.add(String.join(".", f)));
        return out;
    }

    /** Whether the template's literal text is only whitespace: then a record's values alone make the prompt. */
    public boolean literalsBlank() {
        return literals.stream().allMatch(String::isBlank);
    }

    public String render(GenericRecord record) {
        StringBuilder sb = new StringBuilder(literals.get(0));
        for (int i = 0; i < fields.size(); i++) {
            sb.append(value(record, fields.get(i))).append(literals.get(i + 1));
        }
        return sb.toString();
    }

    private static String value(GenericRecord record, String[] path) {
        Object v = record;
        Schema schema = record.getSchema();
        for (int d = 0; d < path.length; d++) {
            String where = String.join(".", java.util.Arrays.copyOf(path, d + 1));
            if (!(v instanceof GenericRecord r)) {
                throw new MissingFieldException("template field '" + String.join(".", path) + "': '"
                        + String.join(".", java.util.Arrays.copyOf(path, d)) + "' is not a record");
            }
            Schema.Field f = r.getSchema().getField(path[d]);
            if (f == null) {
                throw new MissingFieldException("template field '" + where + "' is not in schema "
                        + r.getSchema().getFullName());
            }
            v = r.get(f.pos());
            schema = nonNull(f.schema());
            if (v == null) {
                throw new MissingFieldException("template field '" + where + "' is null");
            }
        }
        if (v instanceof Long millis && schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
            return Instant.ofEpochMilli(millis).toString();
        }
        return v.toString();
    }

    private static Schema nonNull(Schema s) {
        if (s.getType() == Schema.Type.UNION) {
            for (Schema branch : s.getTypes()) {
                if (branch.getType() != Schema.Type.NULL) {
                    return branch;
                }
            }
        }
        return s;
    }

    @Override
    public String toString() {
        return source;
    }
}

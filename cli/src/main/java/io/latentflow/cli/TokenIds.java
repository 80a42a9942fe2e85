package io.latentflow.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses token id lists like {@code 1,2,3} (commas and/or spaces). */
final class TokenIds implements ITypeConverter<TokenIds.List> {

    /** One parsed list (a wrapper, so that picocli treats the option as single-valued). */
    record List(int[] ids) {
    }

    @Override
    public List convert(String value) {
        String s = value.strip();
        if (s.isEmpty()) {
            throw new TypeConversionException("empty token id list; expected ids like 1,2,3");
        }
        String[] parts = s.split("[,\\s]+");
        int[] ids = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                ids[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + parts[i] + "' is not a token id; expected ids like 1,2,3");
            }
            if (ids[i] < 0) {
                throw new TypeConversionException("token ids are >= 0, got " + ids[i]);
            }
        }
        return new List(ids);
    }
}

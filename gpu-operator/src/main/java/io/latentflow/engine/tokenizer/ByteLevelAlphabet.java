package io.latentflow.engine.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2's byte-to-unicode table, as used by Hugging Face's ByteLevel pre-tokenizer and decoder.
 *
 * <p>Every byte gets a printable, non-whitespace character so BPE symbols can be stored as JSON strings
 * and merges as "left right" pairs. Because all 256 bytes are in the vocabulary, any UTF-8 text can be
 * encoded without an unknown token.
 */
final class ByteLevelAlphabet {
    private static final char[] BYTE_TO_CHAR = build();

    private ByteLevelAlphabet() {
    }

    private static char[] build() {
        char[] table = new char[256];
        boolean[] printable = new boolean[256];
        for (int b = '!'; b <= '~'; b++) {
            printable[b] = true;
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            printable[b] = true;
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            printable[b] = true;
        }
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            table[b] = printable[b] ? (char) b : (char) (256 + shifted++);
        }
        return table;
    }

    /** The symbol of one byte (0..255). */
    static String symbol(int b) {
        return String.valueOf(BYTE_TO_CHAR[b & 0xFF]);
    }

    /** Byte values (0..255) of the UTF-8 encoding of text. */
    static int[] utf8(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] out = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[i] & 0xFF;
        }
        return out;
    }
}

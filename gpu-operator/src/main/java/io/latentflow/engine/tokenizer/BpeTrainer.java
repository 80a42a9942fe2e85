package io.latentflow.engine.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small, deterministic byte-level BPE trainer.
 *
 * <p>It exists so random test models get a real tokenizer without shipping a multi-megabyte vocabulary:
 * the corpus is split into words with GPT-2's pattern, each word becomes byte symbols, and the most
 * frequent adjacent pair is merged until the id budget is spent or no pair occurs twice. Ties go to the
 * pair with the lowest (left, right) ids, so the result depends only on the corpus and the budget.
 */
final class BpeTrainer {
    /** GPT-2's pre-tokenization pattern; only shapes which pairs are counted, never what can be encoded. */
    private static final Pattern WORDS = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    /** A learned merge: the symbols left and right become the symbol merged. */
    record Merge(String left, String right) {
    }

    /** The trained vocabulary (symbol to id, in id order) and merges (in rank order). */
    record Result(Map<String, Integer> vocab, List<Merge> merges) {
    }

    private BpeTrainer() {
    }

    /**
     * Trains on corpus. Ids in {@code reserved} (the special tokens) are skipped; the 256 byte symbols take
     * the lowest free ids, merges the next ones, never reaching vocabSize.
     */
    static Result train(String corpus, int vocabSize, Map<String, Integer> reserved) {
        Map<String, Integer> vocab = new HashMap<>(reserved);
        List<String> symbols = new ArrayList<>();  // symbol text by id, null for reserved ids
        IdAllocator ids = new IdAllocator(vocabSize, reserved.values());
        int[] byteIds = new int[256];
        for (int b = 0; b < 256; b++) {
            byteIds[b] = ids.next();
            put(symbols, byteIds[b], ByteLevelAlphabet.symbol(b));
            vocab.put(ByteLevelAlphabet.symbol(b), byteIds[b]);
        }
        List<int[]> words = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        collectWords(corpus, byteIds, words, counts);

        Map<Long, Integer> pairCounts = new HashMap<>();
        for (int w = 0; w < words.size(); w++) {
            countPairs(words.get(w), counts.get(w), pairCounts);
        }
        List<Merge> merges = new ArrayList<>();
        while (ids.hasNext()) {
            long best = bestPair(pairCounts);
            if (best < 0) {
                break;
            }
            int left = (int) (best >>> 32);
            int right = (int) best;
            String text = symbols.get(left) + symbols.get(right);
            Integer merged = vocab.get(text);
            if (merged == null) {
                merged = ids.next();
                vocab.put(text, merged);
                put(symbols, merged, text);
            }
            merges.add(new Merge(symbols.get(left), symbols.get(right)));
            for (int w = 0; w < words.size(); w++) {
                int[] word = words.get(w);
                int[] after = apply(word, left, right, merged);
                if (after != word) {  // only words that held the pair change their pair counts
                    countPairs(word, -counts.get(w), pairCounts);
                    countPairs(after, counts.get(w), pairCounts);
                    words.set(w, after);
                }
            }
        }
        Map<String, Integer> byId = new TreeMap<>((a, b) -> Integer.compare(vocab.get(a), vocab.get(b)));
        byId.putAll(vocab);
        return new Result(byId, merges);
    }

    private static void put(List<String> symbols, int id, String text) {
        while (symbols.size() <= id) {
            symbols.add(null);
        }
        symbols.set(id, text);
    }

    private static void collectWords(String corpus, int[] byteIds, List<int[]> words, List<Integer> counts) {
        Map<String, Integer> wordCounts = new TreeMap<>();
        Matcher m = WORDS.matcher(corpus);
        while (m.find()) {
            wordCounts.merge(m.group(), 1, Integer::sum);
        }
        for (Map.Entry<String, Integer> e : wordCounts.entrySet()) {
            int[] bytes = ByteLevelAlphabet.utf8(e.getKey());
            int[] word = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                word[i] = byteIds[bytes[i]];
            }
            if (word.length > 1) {
                words.add(word);
                counts.add(e.getValue());
            }
        }
    }

    /** Adds count (negative to remove) for every adjacent pair of word, dropping pairs that reach zero. */
    private static void countPairs(int[] word, int count, Map<Long, Integer> pairCounts) {
        for (int i = 0; i + 1 < word.length; i++) {
            long key = ((long) word[i] << 32) | (word[i + 1] & 0xFFFFFFFFL);
            pairCounts.merge(key, count, (a, b) -> a + b == 0 ? null : a + b);
        }
    }

    /** The most frequent pair occurring at least twice, packed as (left << 32 | right), or -1. */
    private static long bestPair(Map<Long, Integer> pairCounts) {
        long best = -1;
        int bestCount = 1;
        for (Map.Entry<Long, Integer> e : pairCounts.entrySet()) {
            int c = e.getValue();
            long key = e.getKey();
            if (c > bestCount || (c == bestCount && best >= 0 && key < best)) {
                best = key;
                bestCount = c;
            }
        }
        return best;
    }

    /** The word with every non-overlapping (left, right), scanned left to right, replaced by merged. */
    private static int[] apply(int[] word, int left, int right, int merged) {
        int n = 0;
        int[] out = null;
        for (int i = 0; i < word.length; i++) {
            if (i + 1 < word.length && word[i] == left && word[i + 1] == right) {
                if (out == null) {
                    out = new int[word.length - 1];
                    System.arraycopy(word, 0, out, 0, i);
                    n = i;
                }
                out[n++] = merged;
                i++;
            } else if (out != null) {
                out[n++] = word[i];
            }
        }
        return out == null ? word : java.util.Arrays.copyOf(out, n);
    }
}

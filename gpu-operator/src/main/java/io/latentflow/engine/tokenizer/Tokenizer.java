package io.latentflow.engine.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A model's tokenizer: Hugging Face tokenizers (through DJL) for the text/id mapping, with BOS/EOS added
 * by us from tokenizer_config.json. DJL's own special-token insertion is off so the prompt ids do not
 * depend on whatever post-processor a tokenizer.json happens to carry.
 */
public final class Tokenizer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> DJL_OPTIONS = Map.of(
            "addSpecialTokens", "false",
            "truncation", "false",
            "padding", "false");

    private final HuggingFaceTokenizer hf;
    private final SpecialTokenSettings settings;
    private final int vocabSize;
    private final int maxTokenChars;
    private final int bosId;
    private final int eosId;

    private Tokenizer(HuggingFaceTokenizer hf, SpecialTokenSettings settings, TokenizerJson vocab) {
        this.hf = hf;
        this.settings = settings;
        this.vocabSize = vocab.vocabSize();
        this.maxTokenChars = vocab.maxTokenChars();
        this.bosId = vocab.idOf(settings.bosToken());
        this.eosId = vocab.idOf(settings.eosToken());
    }

    /** The tokenizer of a model directory (tokenizer.json, tokenizer_config.json), or empty when it has none. */
    public static Optional<Tokenizer> load(Path modelDir) {
        Path file = modelDir.resolve(TokenizerJson.FILE);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        TokenizerJson vocab = TokenizerJson.parse(text, file.toString(), JSON);
        SpecialTokenSettings settings = SpecialTokenSettings.read(modelDir, JSON);
        DjlNative.configureOffline();
        HuggingFaceTokenizer hf;
        try {
            hf = HuggingFaceTokenizer.newInstance(
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), DJL_OPTIONS);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot load " + file + ": " + e.getMessage(), e);
        }
        return Optional.of(new Tokenizer(hf, settings, vocab));
    }

    /** Prompt ids: BOS first when tokenizer_config.json says add_bos_token (default true for DeepSeek). */
    public int[] encode(String text) {
        int[] body = encodeContinuation(text);
        boolean bos = settings.addBos() && bosId >= 0;
        boolean eos = settings.addEos() && eosId >= 0;
        int[] out = new int[body.length + (bos ? 1 : 0) + (eos ? 1 : 0)];
        int at = 0;
        if (bos) {
            out[at++] = bosId;
        }
        System.arraycopy(body, 0, out, at, body.length);
        if (eos) {
            out[out.length - 1] = eosId;
        }
        return out;
    }

    /** Ids of a continuation (labels, stop strings): no special tokens added. */
    public int[] encodeContinuation(String text) {
        long[] ids = hf.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    /** Text of ids, special tokens (and negative ids, which name no token) skipped. */
    public String decode(int[] ids) {
        long[] wide = new long[ids.length];
        int n = 0;
        for (int id : ids) {
            if (id >= 0) {
                wide[n++] = id;
            }
        }
        return hf.decode(n == wide.length ? wide : java.util.Arrays.copyOf(wide, n), true);
    }

    /** Largest token id the tokenizer can produce, plus one (added tokens included). */
    public int vocabSize() {
        return vocabSize;
    }

    /**
     * Characters of the longest token text in tokenizer.json. A text encodes to at least its length divided by this
     * many tokens (exactly so for byte-level BPE without a normalizer, as DeepSeek's), so a text far longer than
     * the context times this can be refused without tokenizing it.
     */
    public int maxTokenChars() {
        return maxTokenChars;
    }

    /** The BOS id, or -1 when the tokenizer has none. */
    public int bosId() {
        return bosId;
    }

    /** The EOS id, or -1 when the tokenizer has none. */
    public int eosId() {
        return eosId;
    }

    /** Whether encode puts BOS first. */
    public boolean addsBos() {
        return settings.addBos() && bosId >= 0;
    }

    @Override
    public void close() {
        hf.close();
    }
}

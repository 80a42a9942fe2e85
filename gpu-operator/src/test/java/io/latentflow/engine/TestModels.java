package io.latentflow.engine;

import io.latentflow.engine.golden.GoldenCases;
import io.latentflow.engine.init.RandomCheckpoint;
import io.latentflow.engine.init.RandomCheckpoint.Preset;
import io.latentflow.engine.init.RandomCheckpoint.Variant;
import io.latentflow.engine.ops.Backend;
import java.nio.file.Path;

/** Engines over the golden tiny-v3 and over a random tiny model with a tokenizer. */
final class TestModels {
    private TestModels() {
    }

    static EngineConfig golden(String model) {
        return EngineConfig.defaults(GoldenCases.dir(model)).withBackend(Backend.VECTOR).withThreads(2)
                .withCacheBudgetBytes(1L << 24);
    }

    /** Writes the tiny preset with its byte-level BPE tokenizer into dir. */
    static EngineConfig tinyWithTokenizer(Path dir) {
        RandomCheckpoint.writeWithTokenizer(Preset.TINY, Variant.V3, 7, dir);
        return EngineConfig.defaults(dir).withBackend(Backend.VECTOR).withThreads(2).withCacheBudgetBytes(1L << 24);
    }
}

package io.latentflow.engine.init;

import io.latentflow.engine.checkpoint.ModelConfig;
import java.nio.file.Path;

/** Placeholder: writes random-weight checkpoints (config.json + model.safetensors) for the presets. */
public final class RandomCheckpoint {

    public enum Preset { TINY, SMALL, MEDIUM }

    public enum Variant { V2, V3 }

    private RandomCheckpoint() {
    }

    /** Writes config.json and model.safetensors of the preset into dir (created if needed). */
    public static ModelConfig write(Preset preset, Variant variant, long seed, Path dir) {
        throw new UnsupportedOperationException("lands with the checkpoint work");
    }
}

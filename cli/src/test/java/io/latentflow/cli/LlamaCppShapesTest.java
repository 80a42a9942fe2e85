package io.latentflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentflow.engine.ModelInfo;
import io.latentflow.engine.init.RandomCheckpoint;
import io.latentflow.engine.init.RandomCheckpoint.Preset;
import io.latentflow.engine.init.RandomCheckpoint.Variant;
import org.junit.jupiter.api.Test;

/** The llama.cpp ratios of {@code bench engine} apply only to the shapes llama.cpp was measured on. */
class LlamaCppShapesTest {

    private static ModelInfo info(Preset preset, Variant variant) {
        return ModelInfo.of(RandomCheckpoint.config(preset, variant));
    }

    @Test
    void theSmallPresetInEitherVariantHasTheShapes() {
        assertTrue(BenchEngineCommand.hasSmallShapes(info(Preset.SMALL, Variant.V3)));
        assertTrue(BenchEngineCommand.hasSmallShapes(info(Preset.SMALL, Variant.V2)));
        // the figures issue #5 quotes for it: 463M parameters, 122M active per token
        assertEquals(462_936_288L, info(Preset.SMALL, Variant.V3).totalParameters());
        assertEquals(121_886_944L, info(Preset.SMALL, Variant.V3).activeParametersPerToken());
    }

    @Test
    void otherModelsGetNoLlamaCppRatio() {
        assertFalse(BenchEngineCommand.hasSmallShapes(info(Preset.MEDIUM, Variant.V3)));
        assertFalse(BenchEngineCommand.hasSmallShapes(info(Preset.TINY, Variant.V3)));
    }
}

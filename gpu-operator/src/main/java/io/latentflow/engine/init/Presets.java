package io.latentflow.engine.init;

import io.latentflow.engine.checkpoint.ModelConfig;
import io.latentflow.engine.checkpoint.RopeScaling;
import io.latentflow.engine.init.RandomCheckpoint.Preset;
import io.latentflow.engine.init.RandomCheckpoint.Variant;

/**
 * The model shapes behind {@link RandomCheckpoint.Preset}. SMALL and MEDIUM are fixed benchmark shapes
 * (SMALL: 462,936,288 parameters ≈ 463M, 121,886,944 ≈ 122M active per token — lm_head, attention, dense MLP, router, top-4 + shared experts; the embedding lookup is not counted); do not tune them, or
 * benchmark numbers stop being comparable.
 */
final class Presets {
    private Presets() {
    }

    static ModelConfig config(Preset preset, Variant variant) {
        boolean v3 = variant == Variant.V3;
        String type = v3 ? "deepseek_v3" : "deepseek_v2";
        switch (preset) {
            case TINY:
                // Like the golden tiny-v3 (V3) and a plain-q_proj, greedy-softmax V2.
                return new ModelConfig(type, 512, 64, 128, 32, 3, 4, 1, 8, v3 ? 2.5 : 1.0,
                        32, v3 ? 48 : 0, 8, 16, 16, v3 ? 2 : 1, 1, 2, 1, 1, v3,
                        v3 ? "sigmoid" : "softmax", v3 ? "noaux_tc" : "greedy", 1024, 1e-6, 10000.0,
                        v3 ? new RopeScaling(4.0, 128, 32, 1, 1.0, 1.0) : null, true, false, 0, 1);
            case SMALL:
                return new ModelConfig(type, 32000, 1024, 2816, 512, 8, 8, 2, 32, 2.5,
                        256, 384, 32, 64, 64, 4, 2, 4, 1, 1, true,
                        v3 ? "sigmoid" : "softmax", v3 ? "noaux_tc" : "group_limited_greedy", 4096, 1e-6,
                        10000.0, null, true, false, 0, 1);
            case MEDIUM:
                return new ModelConfig(type, 32000, 2048, 5632, 512, 12, 16, 2, 48, 2.5,
                        512, 768, 64, 128, 128, 4, 2, 6, 1, 1, true,
                        v3 ? "sigmoid" : "softmax", v3 ? "noaux_tc" : "group_limited_greedy", 4096, 1e-6,
                        10000.0, null, true, false, 0, 1);
            default:
                throw new AssertionError(preset);
        }
    }
}

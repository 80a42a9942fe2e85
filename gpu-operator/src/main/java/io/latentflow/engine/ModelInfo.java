package io.latentflow.engine;

import io.latentflow.engine.checkpoint.ModelConfig;

/**
 * Sizes of a model, as `latentflow model info` prints them.
 *
 * @param totalParameters          every weight of the decoder layers, embeddings, norm and lm_head
 * @param activeParametersPerToken weights one token's forward pass multiplies with: all but the
 *                                 input embedding table (a lookup) and the routed experts not chosen
 * @param kvCacheBytesPerToken     latent cache bytes one token occupies across all layers (float32)
 */
public record ModelInfo(String modelType, long totalParameters, long activeParametersPerToken, int layers,
                        int moeLayers, int routedExperts, int sharedExperts, int expertsPerToken,
                        long kvCacheBytesPerToken, int vocabSize, int hiddenSize, int maxPositionEmbeddings) {

    public static ModelInfo of(ModelConfig c) {
        long h = c.hiddenSize();
        long embed = (long) c.vocabSize() * h;
        long lmHead = c.tieWordEmbeddings() ? 0 : embed;
        long heads = c.numAttentionHeads();
        long q = c.qLoraRank() == 0
                ? h * heads * c.qkHeadDim()
                : h * c.qLoraRank() + c.qLoraRank() + (long) c.qLoraRank() * heads * c.qkHeadDim();
        long attention = q
                + h * c.latentCacheWidth() + c.kvLoraRank()                          // kv_a_proj_with_mqa, kv_a_layernorm
                + (long) c.kvLoraRank() * heads * (c.qkNopeHeadDim() + c.vHeadDim()) // kv_b_proj
                + heads * c.vHeadDim() * h                                           // o_proj
                + 2 * h;                                                             // input and post-attention norms
        long expert = 3 * h * c.moeIntermediateSize();
        long total = embed + lmHead + h;
        long active = (c.tieWordEmbeddings() ? embed : lmHead) + h;
        int moeLayers = 0;
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            if (c.isMoeLayer(i)) {
                moeLayers++;
                long router = c.nRoutedExperts() * h + ("sigmoid".equals(c.scoringFunc()) ? c.nRoutedExperts() : 0);
                long shared = c.nSharedExperts() * expert;
                total += attention + router + shared + c.nRoutedExperts() * expert;
                active += attention + router + shared + c.numExpertsPerTok() * expert;
            } else {
                long dense = 3 * h * c.intermediateSize();
                total += attention + dense;
                active += attention + dense;
            }
        }
        long cacheBytes = 4L * c.numHiddenLayers() * c.latentCacheWidth();
        return new ModelInfo(c.modelType(), total, active, c.numHiddenLayers(), moeLayers, c.nRoutedExperts(),
                c.nSharedExperts(), c.numExpertsPerTok(), cacheBytes, c.vocabSize(), c.hiddenSize(),
                c.maxPositionEmbeddings());
    }
}

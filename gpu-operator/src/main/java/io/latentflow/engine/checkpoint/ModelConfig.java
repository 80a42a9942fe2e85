package io.latentflow.engine.checkpoint;

/**
 * The fields of a DeepSeek-V2/V3 {@code config.json} that the forward pass uses. Immutable; parsed
 * and validated by {@link ModelConfigParser}.
 *
 * @param modelType            "deepseek_v2" or "deepseek_v3"
 * @param vocabSize            rows of embed_tokens and lm_head
 * @param hiddenSize           residual stream width
 * @param intermediateSize     dense MLP width (layers before first_k_dense_replace, or off moe_layer_freq)
 * @param moeIntermediateSize  width of one routed or shared expert
 * @param numHiddenLayers      decoder layers; tensors of layers past this (multi-token prediction) are ignored
 * @param numAttentionHeads    attention heads
 * @param nSharedExperts       shared experts, run as one SwiGLU of width n_shared · moe_intermediate (0 = none)
 * @param nRoutedExperts       routed experts per MoE layer
 * @param routedScalingFactor  multiplies the routed experts' weights
 * @param kvLoraRank           width of the compressed KV latent (cached per token)
 * @param qLoraRank            width of the compressed query, or 0 for a plain q_proj (config null)
 * @param qkRopeHeadDim        rotary part of each query/key head (the key part is shared by all heads)
 * @param qkNopeHeadDim        non-rotary part of each query/key head
 * @param vHeadDim             value head width
 * @param nGroup               expert groups for group-limited routing
 * @param topkGroup            groups kept by group-limited routing
 * @param numExpertsPerTok     routed experts per token (top-k)
 * @param firstKDenseReplace   leading layers with a dense MLP
 * @param moeLayerFreq         layer i ≥ first_k_dense_replace is MoE when i % freq == 0
 * @param normTopkProb         renormalise the chosen experts' weights to sum 1
 * @param scoringFunc          "softmax" (V2) or "sigmoid" (V3)
 * @param topkMethod           "greedy", "group_limited_greedy" (V2) or "noaux_tc" (V3)
 * @param maxPositionEmbeddings longest sequence (prompt + generated) the model accepts
 * @param rmsNormEps           eps of the layer RMSNorms (q_a/kv_a layernorms use 1e-6)
 * @param ropeTheta            rotary base
 * @param ropeScaling          YaRN parameters, or null for plain rope
 * @param ropeInterleave       true: rotate pairs (x[2i], x[2i+1]); false: rotate_half pairs (x[i], x[i+d/2])
 * @param tieWordEmbeddings    lm_head is embed_tokens
 * @param bosTokenId           beginning-of-sequence id, or -1
 * @param eosTokenId           end-of-sequence id, or -1
 */
public record ModelConfig(
        String modelType,
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int moeIntermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int nSharedExperts,
        int nRoutedExperts,
        double routedScalingFactor,
        int kvLoraRank,
        int qLoraRank,
        int qkRopeHeadDim,
        int qkNopeHeadDim,
        int vHeadDim,
        int nGroup,
        int topkGroup,
        int numExpertsPerTok,
        int firstKDenseReplace,
        int moeLayerFreq,
        boolean normTopkProb,
        String scoringFunc,
        String topkMethod,
        int maxPositionEmbeddings,
        double rmsNormEps,
        double ropeTheta,
        RopeScaling ropeScaling,
        boolean ropeInterleave,
        boolean tieWordEmbeddings,
        int bosTokenId,
        int eosTokenId) {

    /** Width of one query/key head: nope then rope. */
    public int qkHeadDim() {
        return qkNopeHeadDim + qkRopeHeadDim;
    }

    /** Rows of the query's input projection: q_a_proj's q_lora_rank, or q_proj's heads · qk without it. */
    public int queryInputWidth() {
        return qLoraRank == 0 ? numAttentionHeads * qkHeadDim() : qLoraRank;
    }

    /** Whether layer i runs the routed MoE (else a dense MLP). */
    public boolean isMoeLayer(int layer) {
        return nRoutedExperts > 0 && layer >= firstKDenseReplace && layer % moeLayerFreq == 0;
    }

    /** Floats cached per token and layer by absorbed MLA: the normed latent and the rotated shared rope key. */
    public int latentCacheWidth() {
        return kvLoraRank + qkRopeHeadDim;
    }
}

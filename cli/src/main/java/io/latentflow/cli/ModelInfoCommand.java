package io.latentflow.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentflow.engine.Engine;
import io.latentflow.engine.ModelInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code latentflow model info}: sizes of a model as the engine loaded it. */
@Command(name = "info", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Print a model's architecture and sizes.")
final class ModelInfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    EngineOptions engine;

    @Override
    public Integer call() {
        try (Engine e = engine.open(spec)) {
            Json.print(spec.commandLine().getOut(), toJson(e.info()));
        }
        return 0;
    }

    static ObjectNode toJson(ModelInfo i) {
        ObjectNode json = Json.object();
        json.put("model_type", i.modelType());
        json.put("total_parameters", i.totalParameters());
        json.put("active_parameters_per_token", i.activeParametersPerToken());
        json.put("layers", i.layers());
        json.put("moe_layers", i.moeLayers());
        json.put("routed_experts", i.routedExperts());
        json.put("shared_experts", i.sharedExperts());
        json.put("experts_per_token", i.expertsPerToken());
        json.put("kv_cache_bytes_per_token", i.kvCacheBytesPerToken());
        json.put("vocab_size", i.vocabSize());
        json.put("hidden_size", i.hiddenSize());
        json.put("max_position_embeddings", i.maxPositionEmbeddings());
        return json;
    }
}

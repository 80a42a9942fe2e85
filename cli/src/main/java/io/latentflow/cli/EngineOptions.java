package io.latentflow.cli;

import io.latentflow.engine.Engine;
import io.latentflow.engine.EngineConfig;
import io.latentflow.engine.ops.Backend;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Flags shared by every command that opens a model: --model, --backend, --threads, --cache-budget-mb. */
final class EngineOptions {
    private static final Logger LOG = LoggerFactory.getLogger(EngineOptions.class);

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Model directory in Hugging Face layout (config.json, *.safetensors, optional tokenizer.json).")
    Path model;

    @Option(names = "--backend", paramLabel = "scalar|vector|vector-int8", defaultValue = "vector",
            converter = BackendConverter.class,
            description = "Kernels: scalar (reference, one thread), vector (jdk.incubator.vector, weights as stored) or "
                    + "vector-int8 (weights quantised to int8 at load). Default: ${DEFAULT-VALUE}.")
    Backend backend;

    /** --backend values by {@link Backend#label}. */
    static final class BackendConverter implements picocli.CommandLine.ITypeConverter<Backend> {
        @Override
        public Backend convert(String value) {
            try {
                return Backend.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Option(names = "--threads", paramLabel = "N", description = "Backend worker threads. Default: available processors.")
    Integer threads;

    @Option(names = "--cache-budget-mb", paramLabel = "N", description = "Latent KV cache budget in MiB. Default: 1024.")
    Long cacheBudgetMb;

    /** Checks the flags and the model directory (usage errors), without opening anything. */
    EngineConfig config(CommandSpec spec) {
        if (threads != null && threads < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be >= 1, got " + threads);
        }
        if (cacheBudgetMb != null && cacheBudgetMb < 1) {
            throw new ParameterException(spec.commandLine(), "--cache-budget-mb must be >= 1, got " + cacheBudgetMb);
        }
        requireModelDir(spec, model);
        EngineConfig c = EngineConfig.defaults(model).withBackend(backend);
        if (threads != null) {
            c = c.withThreads(threads);
        }
        if (cacheBudgetMb != null) {
            c = c.withCacheBudgetBytes(cacheBudgetMb << 20);
        }
        return c;
    }

    Engine open(CommandSpec spec) {
        return open(config(spec));
    }

    static Engine open(EngineConfig c) {
        LOG.info("opening {} (backend {}, {} threads, cache budget {} MiB)", c.modelDir(),
                c.backend().label(), c.threads(), c.cacheBudgetBytes() >> 20);
        long t0 = System.nanoTime();
        Engine engine = Engine.open(c);
        LOG.info("model loaded in {} ms", Math.round((System.nanoTime() - t0) / 1e6));
        return engine;
    }

    static void requireModelDir(CommandSpec spec, Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ParameterException(spec.commandLine(), "model directory not found: " + dir);
        }
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            throw new ParameterException(spec.commandLine(), dir + " is not a model directory: it has no config.json"
                    + " (expected Hugging Face layout: config.json, *.safetensors, optional tokenizer.json)");
        }
    }
}

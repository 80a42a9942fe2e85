package io.latentflow.flink.inference;

import io.latentflow.engine.Engine;
import io.latentflow.engine.EngineConfig;
import io.latentflow.engine.InferenceRequest;
import io.latentflow.engine.InferenceResult;
import io.latentflow.engine.ops.Backend;
import io.latentflow.flink.spec.PipelineSpec;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One engine per model directory and backend per task-manager JVM, shared by every slot and every
 * pipeline that names the model: loaded by the first operator that opens it (its threads, cache
 * budget and prompt-token limit come from that pipeline's spec), reference-counted, closed with
 * its last user. Requests from all slots meet in a micro-batcher per batching setting, then in the
 * engine's one scheduler.
 */
public final class SharedEngines {
    private static final Logger LOG = LoggerFactory.getLogger(SharedEngines.class);
    private static final Map<Key, Entry> ENTRIES = new HashMap<>(); // guarded by the class

    private SharedEngines() {
    }

    record Key(Path modelDir, String backend) {
        static Key of(PipelineSpec spec) {
            return new Key(Path.of(spec.model().dir()).toAbsolutePath().normalize(), spec.model().backend());
        }
    }

    record BatchingKey(int maxEvents, long maxWaitMs) {
    }

    /** Counts of the batches handed to the engine, shared by all users of an entry. */
    public static final class BatchStats {
        public final LongAdder batches = new LongAdder();
        public final LongAdder events = new LongAdder();
        volatile int lastBatchSize;

        public int lastBatchSize() {
            return lastBatchSize;
        }
    }

    private static final class Entry {
        final Engine engine;
        final BatchStats stats = new BatchStats();
        final Map<BatchingKey, MicroBatcher> batchers = new HashMap<>();
        int users;

        Entry(Engine engine) {
            this.engine = engine;
        }

        MicroBatcher batcher(PipelineSpec.Batching b, String name) {
            return batchers.computeIfAbsent(new BatchingKey(b.maxEvents(), b.maxWaitMs()),
                    k -> new MicroBatcher(engine, k.maxEvents(), k.maxWaitMs(), n -> {
                        stats.batches.increment();
                        stats.events.add(n);
                        stats.lastBatchSize = n;
                    }, name));
        }

        void close() {
            batchers.values().forEach(MicroBatcher::close);
            engine.close();
        }
    }

    /** A user's hold on a shared engine. Close it exactly once (operator close). */
    public static final class Handle implements AutoCloseable {
        private final Key key;
        private final Entry entry;
        private final MicroBatcher batcher;
        private boolean closed;

        private Handle(Key key, Entry entry, MicroBatcher batcher) {
            this.key = key;
            this.entry = entry;
            this.batcher = batcher;
        }

        public CompletableFuture<InferenceResult> submit(InferenceRequest request) {
            return batcher.submit(request);
        }

        public Engine engine() {
            return entry.engine;
        }

        public BatchStats batchStats() {
            return entry.stats;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                release(key);
            }
        }
    }

    /** The shared engine for this spec's model, loading it when this JVM has none yet. */
    public static Handle acquire(PipelineSpec spec) {
        Key key = Key.of(spec);
        synchronized (SharedEngines.class) {
            Entry e = ENTRIES.get(key);
            if (e == null) {
                e = new Entry(open(key, spec));
                ENTRIES.put(key, e);
            }
            e.users++;
            return new Handle(key, e, e.batcher(spec.batching(), key.modelDir().getFileName().toString()));
        }
    }

    /** Said when the vector backend is asked for in a JVM started without the incubator module. */
    static final String VECTOR_MODULE_MISSING = "model.backend 'vector' (and 'vector-int8') needs the JVM flag --add-modules "
            + "jdk.incubator.vector, which this task manager was started without: add it to the Flink "
            + "configuration's env.java.opts.all (env.java.opts.taskmanager) and restart the task managers, "
            + "or set model.backend: scalar in the pipeline spec";

    private static Engine open(Key key, PipelineSpec spec) {
        Backend backend = Backend.parse(key.backend());
        if (backend.needsVectorModule() && ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            throw new IllegalStateException(VECTOR_MODULE_MISSING);
        }
        EngineConfig config = EngineConfig.defaults(key.modelDir())
                .withBackend(backend)
                .withThreads(spec.model().threads())
                .withCacheBudgetBytes(spec.model().cacheBudgetBytes())
                .withMaxBatchPromptTokens(spec.batching().maxPromptTokens());
        Engine engine = Engine.open(config);
        LOG.info("shared engine for {} opened by pipeline {} ({})", key.modelDir(), spec.name(), engine.backendName());
        return engine;
    }

    private static void release(Key key) {
        Entry closing = null;
        synchronized (SharedEngines.class) {
            Entry e = ENTRIES.get(key);
            if (e != null && --e.users == 0) {
                ENTRIES.remove(key);
                closing = e;
            }
        }
        if (closing != null) {
            closing.close();
            LOG.info("shared engine for {} closed with its last user", key.modelDir());
        }
    }

    /** Engines open in this JVM (for tests and metrics). */
    public static synchronized int openEngines() {
        return ENTRIES.size();
    }
}

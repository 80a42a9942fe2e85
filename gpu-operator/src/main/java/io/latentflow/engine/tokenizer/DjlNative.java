package io.latentflow.engine.tokenizer;

/**
 * Keeps DJL off the network. DJL's tokenizer normally phones home once and, on a machine with CUDA,
 * tries to download a GPU build of its native library; the CPU build bundled in the jar is all a
 * tokenizer needs, so we ask for offline mode and the CPU flavor unless the user chose otherwise.
 */
final class DjlNative {
    private static boolean configured;

    private DjlNative() {
    }

    static synchronized void configureOffline() {
        if (configured) {
            return;
        }
        setIfAbsent("ai.djl.offline", "DJL_OFFLINE", "true");
        setIfAbsent("OPT_OUT_TRACKING", "OPT_OUT_TRACKING", "true");
        setIfAbsent("RUST_FLAVOR", "RUST_FLAVOR", "cpu");
        configured = true;
    }

    private static void setIfAbsent(String property, String env, String value) {
        if (System.getProperty(property) == null && System.getenv(env) == null) {
            System.setProperty(property, value);
        }
    }
}

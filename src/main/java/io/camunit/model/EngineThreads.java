package io.camunit.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The PyTorch engine's thread counts, chosen before the first model load starts the engine, unless
 * the user chose them: {@code -Dai.djl.pytorch.num_threads=N} (or the environment variable
 * {@code OMP_NUM_THREADS}) and {@code -Dai.djl.pytorch.num_interop_threads=N} always win.
 *
 * <p>camunit's defaults are half the cores for intra-op work (at least 1) and one inter-op thread.
 * PyTorch's own default, one intra-op thread per core, assumes it has the machine to itself; a
 * test run shares it with the build, the JVM and parallel test workers, each of which makes its own
 * engine calls. On 2 cores under such load, Grad-CAM ran 3 to 50 times slower with 2 intra-op
 * threads than with 1 (README, Performance). Explanations use no inter-op parallelism.
 *
 * <pre>{@code
 * java -Dai.djl.pytorch.num_threads=2 -jar camunit.jar evaluate ...   // the user's choice wins
 * }</pre>
 */
final class EngineThreads {

    static final String INTRA_OP = "ai.djl.pytorch.num_threads";
    static final String INTER_OP = "ai.djl.pytorch.num_interop_threads";

    private EngineThreads() {}

    /**
     * Sets the thread properties DJL reads when the PyTorch engine starts, where the user has not;
     * they have no effect once the engine runs.
     */
    static void configure() {
        defaults(System.getProperties(), System.getenv(), Runtime.getRuntime().availableProcessors())
                .forEach(System::setProperty);
    }

    /**
     * @param properties the system properties
     * @param environment the environment variables
     * @param cores the available processors
     * @return the properties to set: each thread count the user has not chosen, at camunit's default
     */
    static Map<String, String> defaults(Map<?, ?> properties, Map<String, String> environment, int cores) {
        Map<String, String> out = new LinkedHashMap<>();
        if (properties.get(INTRA_OP) == null && environment.get("OMP_NUM_THREADS") == null) {
            out.put(INTRA_OP, Integer.toString(Math.max(1, cores / 2)));
        }
        if (properties.get(INTER_OP) == null) {
            out.put(INTER_OP, "1");
        }
        return out;
    }
}

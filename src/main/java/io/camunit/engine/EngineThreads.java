package io.camunit.engine;

import io.camunit.CamunitException;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The PyTorch engine's thread counts, chosen before the first model load starts the engine, unless
 * the user chose them: {@code -Dai.djl.pytorch.num_threads=N} (or the environment variable
 * {@code OMP_NUM_THREADS}) and {@code -Dai.djl.pytorch.num_interop_threads=N} always win.
 *
 * <p>The intra-op default depends on {@code -Dcamunit.threads}: {@code half} (the default for the
 * library: half the cores, at least 1) or {@code all} (PyTorch's own default, one thread per core;
 * the {@code camunit} command sets it, as it runs in a process of its own). PyTorch's default assumes
 * the machine is the engine's alone; a test run shares it with the build, the JVM and parallel test
 * workers. Measured on 2 cores (README, Performance): on an idle machine 2 threads explain
 * ResNet-18 at 224 x 224 about 1.7 times faster than 1, but under a load of 5 to 10 other
 * processes Grad-CAM ran 3 to 50 times slower with 2 than with 1. Inter-op threads are 1:
 * explanations have no inter-op parallelism.
 *
 * <pre>{@code
 * mvn test -Dcamunit.threads=all                       // tests on a machine of their own
 * java -Dai.djl.pytorch.num_threads=1 -jar camunit.jar evaluate ...   // the user's count wins
 * }</pre>
 */
public final class EngineThreads {

    /** camunit's choice of intra-op default: {@code half} or {@code all}. */
    public static final String POLICY = "camunit.threads";
    static final String INTRA_OP = "ai.djl.pytorch.num_threads";
    static final String INTER_OP = "ai.djl.pytorch.num_interop_threads";

    private EngineThreads() {}

    /**
     * Sets the thread properties DJL reads when the PyTorch engine starts, where the user has not;
     * they have no effect once the engine runs. Model loading calls this.
     *
     * @throws CamunitException when {@code camunit.threads} is neither {@code half} nor {@code all}
     */
    public static void configure() {
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
        Object policy = properties.get(POLICY);
        String p = policy == null ? "half" : policy.toString().trim().toLowerCase(Locale.ROOT);
        if (!p.equals("half") && !p.equals("all")) {
            throw new CamunitException("System property " + POLICY + " must be 'half' (half the cores for"
                    + " PyTorch's intra-op threads) or 'all' (one per core); got '" + policy + "'. To set a number"
                    + " of threads, use -D" + INTRA_OP + "=N instead.");
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (p.equals("half") && properties.get(INTRA_OP) == null && environment.get("OMP_NUM_THREADS") == null) {
            out.put(INTRA_OP, Integer.toString(Math.max(1, cores / 2)));
        }
        if (properties.get(INTER_OP) == null) {
            out.put(INTER_OP, "1");
        }
        return out;
    }
}

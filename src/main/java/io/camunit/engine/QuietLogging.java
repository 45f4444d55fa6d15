package io.camunit.engine;

import java.util.ServiceLoader;

import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Keeps DJL's logging quiet in a build that declares no SLF4J binding. DJL logs through SLF4J, and
 * SLF4J 2 prints a warning ("No SLF4J providers were found") when the first logger is made without
 * a provider on the class path. camunit does not choose its users' logging: where they have a
 * provider it is used as it is; where they have none, camunit selects SLF4J's own no-operation
 * provider through the {@code slf4j.provider} property (and keeps SLF4J's own reports to warnings,
 * since it reports loading a named provider), which has the same effect as SLF4J's fallback without
 * the warning. It must run before the first logger is made, so models call it
 * before they start the engine.
 *
 * <pre>{@code
 * QuietLogging.beforeFirstLogger();
 * Engine.getEngine("PyTorch");
 * }</pre>
 */
public final class QuietLogging {

    static final String PROVIDER_PROPERTY = "slf4j.provider";
    static final String NO_OPERATION = "org.slf4j.helpers.NOP_FallbackServiceProvider";
    /** SLF4J reports at INFO that it loads an explicitly named provider; WARN keeps its real warnings. */
    static final String VERBOSITY_PROPERTY = "slf4j.internal.verbosity";

    private QuietLogging() {}

    /** Selects SLF4J's no-operation provider when the class path has none and none was chosen. */
    public static void beforeFirstLogger() {
        if (System.getProperty(PROVIDER_PROPERTY) == null && !hasProvider(QuietLogging.class.getClassLoader())) {
            System.setProperty(PROVIDER_PROPERTY, NO_OPERATION);
            if (System.getProperty(VERBOSITY_PROPERTY) == null) {
                System.setProperty(VERBOSITY_PROPERTY, "WARN");
            }
        }
    }

    /**
     * @param loader where SLF4J looks
     * @return whether an SLF4J provider is on its class path
     */
    static boolean hasProvider(ClassLoader loader) {
        return ServiceLoader.load(SLF4JServiceProvider.class, loader).iterator().hasNext();
    }
}

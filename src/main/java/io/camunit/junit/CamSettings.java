package io.camunit.junit;

import io.camunit.CamunitException;
import io.camunit.explain.Method;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The camunit configuration parameters of a test run, read from JUnit's configuration
 * ({@code junit-platform.properties}, {@code -D} system properties, or the launcher). Inject it as
 * a test parameter to reach, e.g., the report directory.
 *
 * <pre>{@code
 * # src/test/resources/junit-platform.properties
 * camunit.default.method=grad-cam
 * camunit.default.layer=features.10
 *
 * @Test
 * void writesReports(CamSettings settings) {
 *     Path dir = settings.reportDir();   // reports/ unless camunit.report.dir says otherwise
 * }
 * }</pre>
 *
 * @param modelCache whether models and data sets are shared by the whole run (true) or loaded per
 *     test and closed after it (false)
 * @param defaultMethod the method for a {@link UseExplainer} that names none
 * @param defaultLayers the layers for a {@link UseExplainer} that names none
 * @param reportDir where reports go
 * @param explanationCacheSize how many explanations of labelled samples the run remembers (0: none)
 */
public record CamSettings(boolean modelCache, Optional<Method> defaultMethod, List<String> defaultLayers,
        Path reportDir, int explanationCacheSize) {

    /** {@code on} (default) or {@code off}. */
    public static final String MODEL_CACHE = "camunit.model.cache";
    /** A method id such as {@code grad-cam}. */
    public static final String DEFAULT_METHOD = "camunit.default.method";
    /** One layer, or several separated by commas. */
    public static final String DEFAULT_LAYER = "camunit.default.layer";
    /** A directory, default {@code reports/}. */
    public static final String REPORT_DIR = "camunit.report.dir";
    /** Reserved for later: the device models run on. Not yet used. */
    public static final String DEVICE = "camunit.device";
    /** Reserved for later: what evidence a failing test keeps. Not yet used. */
    public static final String EVIDENCE_POLICY = "camunit.evidence.policy";
    /** How many explanations of labelled samples are remembered in a run; default 256, 0 turns it off. */
    public static final String EXPLANATION_CACHE_SIZE = "camunit.explanation.cache.size";

    /** Copies the list. */
    public CamSettings {
        defaultLayers = List.copyOf(defaultLayers);
    }

    /**
     * @param parameters looks a key up, e.g. {@code ExtensionContext::getConfigurationParameter}
     * @return the settings
     * @throws CamunitException naming the key, for a value that cannot be used
     */
    public static CamSettings read(Function<String, Optional<String>> parameters) {
        String cache = parameters.apply(MODEL_CACHE).map(String::trim).orElse("on").toLowerCase(Locale.ROOT);
        boolean modelCache = switch (cache) {
            case "on", "true" -> true;
            case "off", "false" -> false;
            default -> throw new CamunitException("Configuration parameter " + MODEL_CACHE + " must be on or off; got '"
                    + cache + "'. Fix it in junit-platform.properties or the -D" + MODEL_CACHE + " option.");
        };
        Optional<Method> method = parameters.apply(DEFAULT_METHOD).filter(s -> !s.isBlank()).map(id -> {
            try {
                return Method.fromId(id);
            } catch (CamunitException e) {
                throw new CamunitException("Configuration parameter " + DEFAULT_METHOD + ": " + e.getMessage(), e);
            }
        });
        List<String> layers = parameters.apply(DEFAULT_LAYER)
                .map(s -> Arrays.stream(s.split(",")).map(String::trim).filter(l -> !l.isEmpty()).toList())
                .orElse(List.of());
        Path reportDir = Path.of(parameters.apply(REPORT_DIR).filter(s -> !s.isBlank()).orElse("reports"));
        String size = parameters.apply(EXPLANATION_CACHE_SIZE).map(String::trim).orElse("256");
        int cacheSize;
        try {
            cacheSize = Integer.parseInt(size);
        } catch (NumberFormatException e) {
            cacheSize = -1;
        }
        if (cacheSize < 0) {
            throw new CamunitException("Configuration parameter " + EXPLANATION_CACHE_SIZE + " must be a whole number"
                    + " >= 0 (0 turns the cache off); got '" + size + "'.");
        }
        return new CamSettings(modelCache, method, layers, reportDir, cacheSize);
    }
}

package io.camunit.junit;

import io.camunit.CamunitException;
import io.camunit.assertj.DatasetMetricAssert;
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
 * @param evidencePolicy when tests get evidence attached
 * @param evidenceWorst how many samples the contact sheet of a failed data-set gate shows
 */
public record CamSettings(boolean modelCache, Optional<Method> defaultMethod, List<String> defaultLayers,
        Path reportDir, int explanationCacheSize, EvidencePolicy evidencePolicy, int evidenceWorst) {

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
    /** {@code on-failure} (default), {@code always} or {@code never}: see {@link EvidencePolicy}. */
    public static final String EVIDENCE_POLICY = "camunit.evidence.policy";
    /**
     * How many of the worst samples a failed data-set gate's contact sheet shows; default 12, at most
     * {@link DatasetMetricAssert#KEPT} (the maps a gate keeps).
     */
    public static final String EVIDENCE_WORST = "camunit.evidence.worst";
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
        int cacheSize = wholeNumber(parameters, EXPLANATION_CACHE_SIZE, "256", 0, " (0 turns the cache off)");
        EvidencePolicy policy = parameters.apply(EVIDENCE_POLICY).filter(s -> !s.isBlank()).map(EvidencePolicy::fromId)
                .orElse(EvidencePolicy.ON_FAILURE);
        int worst = wholeNumber(parameters, EVIDENCE_WORST, "12", 1, "");
        if (worst > DatasetMetricAssert.KEPT) {
            throw new CamunitException("Configuration parameter " + EVIDENCE_WORST + " must be at most "
                    + DatasetMetricAssert.KEPT + ": a data-set gate keeps the maps of its " + DatasetMetricAssert.KEPT
                    + " worst samples, not of every sample; got " + worst + ".");
        }
        return new CamSettings(modelCache, method, layers, reportDir, cacheSize, policy, worst);
    }

    private static int wholeNumber(Function<String, Optional<String>> parameters, String key, String fallback, int min,
            String hint) {
        String text = parameters.apply(key).map(String::trim).orElse(fallback);
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            value = min - 1;
        }
        if (value < min) {
            throw new CamunitException("Configuration parameter " + key + " must be a whole number >= " + min + hint
                    + "; got '" + text + "'.");
        }
        return value;
    }
}

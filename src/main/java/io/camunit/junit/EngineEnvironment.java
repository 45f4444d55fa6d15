package io.camunit.junit;

import io.camunit.engine.EngineCheck;
import io.camunit.engine.EngineVerdict;
import io.camunit.report.EvidenceSinks;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Store;

/**
 * Puts the engine check's verdict into the Environment of Allure's report, once per run, after the
 * first test for which the engine was checked, so a reader of the report sees on which kernels the
 * maps were computed and whether a fault was found.
 *
 * <pre>{@code
 * EngineEnvironment.recordOnce(context);   // in afterEach
 * }</pre>
 */
final class EngineEnvironment {

    private EngineEnvironment() {}

    /**
     * @param verdict the verdict
     * @return the Environment entries: {@code camunit.engine.check}, {@code .convolutions},
     *     {@code .cpu}, {@code .engine} and {@code .summary}
     */
    static Map<String, String> entries(EngineVerdict verdict) {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("camunit.engine.check", verdict.status().name().toLowerCase(Locale.ROOT));
        entries.put("camunit.engine.convolutions", verdict.kernels().id());
        entries.put("camunit.engine.cpu", verdict.cpu().describe());
        entries.put("camunit.engine.engine", verdict.engine());
        entries.put("camunit.engine.summary", verdict.summary());
        return entries;
    }

    /** Writes the entries if the engine was checked and they were not written yet in this run. */
    static void recordOnce(ExtensionContext context) {
        EngineCheck.checked().ifPresent(verdict -> {
            Store root = context.getRoot().getStore(SharedResources.NAMESPACE);
            if (root.get(EngineEnvironment.class) == null
                    && EvidenceSinks.recordEnvironment(context.getUniqueId(), entries(verdict))) {
                root.put(EngineEnvironment.class, Boolean.TRUE);
            }
        });
    }
}

package io.camunit.junit;

import io.camunit.CamunitException;

import java.util.Arrays;
import java.util.Locale;

/**
 * When the camunit extension attaches evidence to a test: configuration parameter
 * {@value CamSettings#EVIDENCE_POLICY}.
 *
 * <pre>{@code
 * # src/test/resources/junit-platform.properties
 * camunit.evidence.policy=always
 * }</pre>
 */
public enum EvidencePolicy {

    /** Failing tests only (the default): what the failed check saw. */
    ON_FAILURE("on-failure"),
    /** Failing tests as above, and passing tests with the explanations they computed. */
    ALWAYS("always"),
    /** No files at all (labels are still added, see the README). */
    NEVER("never");

    private final String id;

    EvidencePolicy(String id) {
        this.id = id;
    }

    /** @return the configuration value, e.g. {@code on-failure} */
    public String id() {
        return id;
    }

    /**
     * @param value a configuration value, case-insensitive
     * @return the policy
     * @throws CamunitException naming the key and the allowed values
     */
    public static EvidencePolicy fromId(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(p -> p.id.equals(v)).findFirst().orElseThrow(() -> new CamunitException(
                "Configuration parameter " + CamSettings.EVIDENCE_POLICY + " must be on-failure, always or never; got '"
                        + value + "'. Fix it in junit-platform.properties or the -D" + CamSettings.EVIDENCE_POLICY
                        + " option."));
    }
}

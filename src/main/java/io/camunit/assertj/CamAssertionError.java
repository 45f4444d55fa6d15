package io.camunit.assertj;

import io.camunit.report.Evidence;

import java.util.Objects;

/**
 * The failure of a camunit assertion on explanations, carrying what a reader needs to see why: the
 * explanation, the region and the metric ({@link io.camunit.report.SampleEvidence}), or every sample's
 * value under a data-set gate ({@link io.camunit.report.DatasetEvidence}). The camunit JUnit extension
 * turns it into attachments (overlay PNG, map, metrics JSON; contact sheet and per-class table); the
 * message is the same as without evidence.
 *
 * <pre>{@code
 * try {
 *     assertThat(explanation).hasPeakInside(sample.region());
 * } catch (CamAssertionError e) {
 *     EvidenceAttachments.of(e.evidence(), 12).forEach(sink::attach);
 *     throw e;
 * }
 * }</pre>
 */
public class CamAssertionError extends AssertionError {

    private static final long serialVersionUID = 1L;

    /** Not serialised: evidence holds maps and images, and lives only as long as the test run. */
    private final transient Evidence evidence;

    /**
     * Takes over message, cause and stack trace of an AssertJ failure (AssertJ has already cleaned
     * its own frames from the trace).
     *
     * @param failure the failure as AssertJ made it
     * @param evidence what shows why
     */
    public CamAssertionError(AssertionError failure, Evidence evidence) {
        super(failure.getMessage(), failure.getCause());
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        setStackTrace(failure.getStackTrace());
    }

    /** @return the evidence of this failure */
    public Evidence evidence() {
        return evidence;
    }
}

package io.camunit.report;

/**
 * Where the evidence of one test goes: Allure's results when Allure runs the test, otherwise a
 * {@link DirectorySink}. {@link EvidenceSinks#forTest} chooses.
 *
 * <pre>{@code
 * EvidenceSink sink = EvidenceSinks.forTest(uniqueId, new DirectorySink(dir));
 * EvidenceAttachments.of(evidence, 12).forEach(sink::attach);
 * sink.label("model", "shapes-shortcut.pt");
 * }</pre>
 */
public interface EvidenceSink {

    /**
     * Keeps one file of evidence.
     *
     * @param attachment the file
     * @throws io.camunit.CamunitException when it cannot be kept
     */
    void attach(Attachment attachment);

    /**
     * Tags the test, e.g. {@code model = shapes-shortcut.pt}, so reports can be filtered.
     *
     * @param name the label's name
     * @param value its value
     */
    void label(String name, String value);
}

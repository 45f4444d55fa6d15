package io.camunit.report;

import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import io.qameta.allure.model.Label;
import io.qameta.allure.util.PropertiesUtils;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Evidence through Allure's lifecycle: attachments to the running test case, labels on it. The only
 * class of camunit that refers to Allure; {@link EvidenceSinks} loads it by reflection after
 * checking that Allure is on the class path, so camunit runs without Allure.
 */
final class AllureSink implements EvidenceSink {

    /** The label allure-junit-platform puts on every test case it starts. */
    static final String UNIQUE_ID_LABEL = "junit.platform.uniqueid";

    private final AllureLifecycle lifecycle;
    private final String testCase;

    private AllureSink(AllureLifecycle lifecycle, String testCase) {
        this.lifecycle = lifecycle;
        this.testCase = testCase;
    }

    /**
     * Called reflectively by {@link EvidenceSinks}.
     *
     * @param uniqueId the JUnit unique id of the running test
     * @return a sink for Allure's test case of that test on this thread, or null when Allure runs no
     *     test case here or another one (e.g. the test runs inside another test through a test kit)
     */
    static EvidenceSink forTest(String uniqueId) {
        AllureLifecycle lifecycle = Allure.getLifecycle();
        Optional<String> current = lifecycle.getCurrentTestCase();
        if (current.isEmpty()) {
            return null;
        }
        AtomicBoolean same = new AtomicBoolean();
        lifecycle.updateTestCase(current.get(), result -> same.set(result.getLabels().stream()
                .anyMatch(l -> UNIQUE_ID_LABEL.equals(l.getName()) && uniqueId.equals(l.getValue()))));
        return same.get() ? new AllureSink(lifecycle, current.get()) : null;
    }

    /**
     * Called reflectively by {@link EvidenceSinks}: adds {@code entries} to the
     * {@code environment.properties} of the directory Allure writes its results to (Allure's report
     * shows them as its Environment), keeping the entries already there.
     *
     * @param uniqueId the JUnit unique id of the running test
     * @param entries the entries to add or replace
     * @return whether Allure runs this test, so the entries were written
     * @throws IOException when the file cannot be read or written
     */
    static boolean environment(String uniqueId, Map<String, String> entries) throws IOException {
        if (forTest(uniqueId) == null) {
            return false;
        }
        // The same setting Allure's own results writer reads.
        Path dir = Path.of(PropertiesUtils.loadAllureProperties().getProperty("allure.results.directory", "allure-results"));
        Path file = dir.resolve("environment.properties");
        Properties properties = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(in);
            }
        }
        properties.putAll(entries);
        StringWriter text = new StringWriter();
        properties.store(text, null);
        Files.createDirectories(dir);
        AtomicFile.writeString(file, text.toString());
        return true;
    }

    @Override
    public void attach(Attachment attachment) {
        lifecycle.addAttachment(attachment.name(), attachment.mimeType(), "." + attachment.extension(),
                attachment.bytes());
    }

    @Override
    public void label(String name, String value) {
        lifecycle.updateTestCase(testCase, result -> result.getLabels().add(new Label().setName(name).setValue(value)));
    }
}

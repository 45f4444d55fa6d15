package io.camunit.reportcheck;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens the generated Allure report in headless Chromium the way a person would, and checks what a
 * person would look for. For each check: from the report's start page it goes to the Suites tab,
 * opens the failed test whose name contains the given text, checks that the report shows it as
 * Failed, opens its image attachment whose name matches the given JavaScript regular expression
 * (case-insensitive), checks that the image is displayed (loaded, non-zero natural and shown
 * size) and saves a screenshot. Every step goes to the log. Run by {@code .ci/check-report}.
 *
 * <pre>{@code
 * AllureReportCheck --report reports/allure-report/index.html --log reports/report-check/report-check.log
 *     --test "shapes-shortcut on test-marked, sample by sample" --attachment "^overlay "
 *     --screenshot reports/report-check/shortcut-sample.png [--chromium /usr/bin/chromium]
 * }</pre>
 */
public final class AllureReportCheck {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final List<String> log = new ArrayList<>();

    private AllureReportCheck() {
    }

    /**
     * @param args see the class comment
     * @throws Exception when the check fails (the message says which step), so the Maven build fails
     */
    public static void main(String[] args) throws Exception {
        Path report = null;
        Path logFile = null;
        Path chromium = Path.of("/usr/bin/chromium");
        String test = null;
        String attachment = null;
        List<Check> checks = new ArrayList<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--report" -> report = Path.of(value).toAbsolutePath().normalize();
                case "--log" -> logFile = Path.of(value);
                case "--chromium" -> chromium = Path.of(value);
                case "--test" -> test = value;
                case "--attachment" -> attachment = value;
                case "--screenshot" -> {
                    if (test == null || attachment == null) {
                        throw new IllegalArgumentException("--screenshot " + value + " needs a --test and an --attachment"
                                + " before it");
                    }
                    checks.add(new Check(test, attachment, Path.of(value)));
                    test = null;
                    attachment = null;
                }
                default -> throw new IllegalArgumentException("Unknown option " + args[i]);
            }
        }
        if (args.length % 2 != 0 || report == null || logFile == null || checks.isEmpty() || test != null
                || attachment != null) {
            throw new IllegalArgumentException("Usage: --report FILE --log FILE [--chromium PATH]"
                    + " (--test TEXT --attachment REGEX --screenshot PNG)...");
        }
        if (!Files.isRegularFile(report)) {
            throw new IllegalStateException("No report at " + report + ": run mvn -B -Pdemo verify first");
        }
        AllureReportCheck check = new AllureReportCheck();
        try {
            check.run(chromium, report, checks);
            check.note("RESULT: PASS (" + checks.size() + " of " + checks.size() + " checks)");
        } catch (Exception | AssertionError e) {
            check.note("RESULT: FAIL: " + e.getMessage());
            throw e;
        } finally {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Files.writeString(logFile, String.join("\n", check.log) + "\n", StandardCharsets.UTF_8);
        }
    }

    /**
     * One thing to look at.
     *
     * @param test text the failing test's name contains
     * @param attachment a JavaScript regular expression (case-insensitive) the image attachment's name matches
     * @param screenshot where the screenshot goes
     */
    record Check(String test, String attachment, Path screenshot) { }

    private void run(Path chromium, Path report, List<Check> checks) throws IOException {
        note("report: " + shown(report) + " (" + Files.size(report) + " bytes, Allure single-file report)");
        try (DevTools browser = DevTools.launch(chromium, 1440, 1100)) {
            note("browser: " + chromium + " headless, DevTools protocol on 127.0.0.1, new empty profile");
            for (Check c : checks) {
                note("check: the failed test \"" + c.test() + "\" with an image attachment /" + c.attachment() + "/i");
                look(browser, report, c.test(), c.attachment(), c.screenshot());
            }
        }
    }

    /** From the start page to the test's image, as a person clicks; then the screenshot. */
    private void look(DevTools browser, Path report, String test, String attachment, Path screenshot)
            throws IOException {
        browser.navigate(report.toUri().toString());
        require(browser.waitFor("document.querySelector('a[href=\"#suites\"]')", WAIT),
                "the report's start page did not render its navigation");
        note("opened " + shown(report) + " from a file:// URL; page title \"" + browser.eval("document.title").getAsString()
                + "\"");

        browser.eval("document.querySelector('a[href=\"#suites\"]').click()");
        require(browser.waitFor("document.querySelector('.tree .node')", WAIT), "the Suites tab shows no tree");
        String leaf = "[...document.querySelectorAll('a.node__leaf')].find(a => a.querySelector('.node__name')"
                + ".textContent.includes(" + js(test) + ") && a.querySelector('.text_status_failed'))";
        // Groups may start collapsed: open every closed group until the failing test shows.
        for (int round = 0; round < 5 && !browser.eval("!!" + leaf).getAsBoolean(); round++) {
            browser.eval("document.querySelectorAll('.node__title:not(.node__expanded)').forEach(t => "
                    + "{ if (!t.closest('a.node__leaf')) t.click(); })");
            browser.waitFor(leaf, Duration.ofSeconds(2));
        }
        require(browser.eval("!!" + leaf).getAsBoolean(),
                "the Suites tree lists no failed test whose name contains \"" + test + "\"; its failed tests: "
                        + browser.eval("[...document.querySelectorAll('a.node__leaf')].filter(a => a.querySelector("
                                + "'.text_status_failed')).map(a => a.querySelector('.node__name').textContent.trim())"));
        String name = browser.eval(leaf + ".querySelector('.node__name').textContent.trim()").getAsString();
        note("Suites tree: failed test \"" + name + "\"");

        browser.eval(leaf + ".click()");
        String title = "document.querySelector('.test-result__name')";
        require(browser.waitFor(title + " && " + title + ".textContent.includes(" + js(test) + ")", WAIT),
                "clicking the test did not open its result");
        JsonObject status = browser.eval("(() => { const l = document.querySelector('.test-result__status .label');"
                + " return {text: l.textContent.trim(), failed: l.classList.contains('label_status_failed')}; })()")
                .getAsJsonObject();
        require(status.get("failed").getAsBoolean() && "Failed".equals(status.get("text").getAsString()),
                "the test result is shown as " + status + ", not as Failed");
        String message = browser.eval("(document.querySelector('.test-result-overview .status-details__message')"
                + " || {innerText: ''}).innerText.trim()").getAsString();
        note("test result pane: status label \"" + status.get("text").getAsString()
                + "\" (label_status_failed); message: " + firstLine(message));

        String rows = "[...document.querySelectorAll('.attachment-row')]";
        JsonElement names = browser.eval(rows + ".map(r => r.querySelector('.attachment-row__name')"
                + ".textContent.trim())");
        note("attachments listed: " + names);
        String row = rows + ".find(r => new RegExp(" + js(attachment) + ", 'i').test(r.querySelector("
                + "'.attachment-row__name').textContent.trim()) && r.querySelector('[data-tooltip^=\"image/\"]'))";
        require(browser.eval("!!" + row).getAsBoolean(),
                "the test lists no image attachment whose name matches /" + attachment + "/");
        String chosen = browser.eval(row + ".querySelector('.attachment-row__name').textContent.trim()")
                .getAsString();
        browser.eval(row + ".click()");
        String img = row + ".parentElement.querySelector('.attachment-row__preview img')";
        require(browser.waitFor(img + " && " + img + ".complete && " + img + ".naturalWidth > 0", WAIT),
                "the attachment \"" + chosen + "\" was opened but its image did not load");
        JsonObject size = browser.eval("(() => { const i = " + img + "; const r = i.getBoundingClientRect();"
                + " return {natural: i.naturalWidth + ' x ' + i.naturalHeight, shown: Math.round(r.width) + ' x '"
                + " + Math.round(r.height), src: i.src.substring(0, 40)}; })()").getAsJsonObject();
        require(browser.eval(img + ".naturalHeight > 0 && " + img + ".getBoundingClientRect().width > 0")
                .getAsBoolean(), "the attachment's image has no size on the page: " + size);
        note("attachment \"" + chosen + "\" opened: image loaded, natural size " + size.get("natural").getAsString()
                + " px, shown at " + size.get("shown").getAsString() + " px");

        browser.eval(row + ".scrollIntoView({block: 'start'})");
        browser.eval("document.querySelector('.test-result .pane__title').scrollIntoView({block: 'start'})");
        browser.eval("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
        Files.createDirectories(screenshot.toAbsolutePath().getParent());
        Files.write(screenshot, browser.screenshot());
        note("screenshot: " + screenshot + " (1440 x 1100)");
    }

    private void note(String line) {
        String stamped = Instant.now().toString().substring(0, 19) + "Z  " + line;
        log.add(stamped);
        System.out.println(stamped);
    }

    /** A path relative to the working directory when it lies below it, so logs do not depend on the checkout. */
    private static Path shown(Path p) {
        Path here = Path.of("").toAbsolutePath();
        return p.startsWith(here) ? here.relativize(p) : p;
    }

    private static void require(boolean condition, String failure) {
        if (!condition) {
            throw new AssertionError(failure);
        }
    }

    /** The message's first line, or its first two when the first is only an AssertJ description {@code [...]}. */
    private static String firstLine(String text) {
        List<String> lines = text.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) {
            return "(none)";
        }
        boolean described = lines.get(0).startsWith("[") && lines.get(0).endsWith("]") && lines.size() > 1;
        String first = described ? lines.get(0) + " " + lines.get(1) : lines.get(0);
        return lines.size() > (described ? 2 : 1) ? first + " ..." : first;
    }

    /** A Java string as a JavaScript string literal. */
    private static String js(String s) {
        return new com.google.gson.JsonPrimitive(s).toString();
    }
}

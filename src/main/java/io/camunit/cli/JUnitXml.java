package io.camunit.cli;

import io.camunit.CamunitVersion;

import java.io.StringWriter;
import java.util.List;
import java.util.Locale;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * {@code evaluate --junit-xml FILE}: the run's checks as a JUnit XML report, the format Maven
 * Surefire writes and Jenkins, GitLab and GitHub's test reporters read. One {@code testsuite}
 * ({@code camunit evaluate <model>}) with the run's settings as properties; one {@code testcase}
 * per gate and method (and per baseline comparison): {@code name} the gate, {@code classname}
 * {@code camunit.evaluate.<model>.<method>} (dots in the model's name become {@code _}, so that
 * reporters that split class names at dots show model and method); a failing check has a
 * {@code failure} whose {@code message} is the verdict's one line and whose text lists the
 * outcome, the counts per class and the worst samples.
 *
 * <pre>{@code
 * String xml = JUnitXml.of(run, CheckOutcome.of(result, List.of()));
 * // <testsuite name="camunit evaluate shapes-shortcut" tests="2" failures="1" errors="0" skipped="0" time="8.214">
 * //   <testcase name="peak-inside &gt;= 1 for 80%" classname="camunit.evaluate.shapes-shortcut.grad-cam" time="0.000">
 * //     <failure message="3/60 samples (5.0 %), worst: ..." type="camunit.gate">...</failure>
 * }</pre>
 *
 * <p>Checks are judged once the run is over, so each test case's {@code time} is 0 and the suite's
 * is the run's wall time.
 */
final class JUnitXml {

    private JUnitXml() {}

    /**
     * @param run what was evaluated
     * @param checks the checks, in order
     * @return the report, UTF-8 XML
     */
    static String of(EvaluationRun run, List<CheckOutcome> checks) {
        StringWriter text = new StringWriter();
        try {
            // The JDK's own writer, not whichever StAX provider the class path brings (Spark's Woodstox
            // writes the declaration with single quotes): the file is the same in every run.
            XMLStreamWriter x = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(text);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuite");
            x.writeAttribute("name", "camunit evaluate " + run.modelName());
            x.writeAttribute("tests", String.valueOf(checks.size()));
            x.writeAttribute("failures", String.valueOf(checks.stream().filter(c -> !c.passed()).count()));
            x.writeAttribute("errors", "0");
            x.writeAttribute("skipped", "0");
            x.writeAttribute("time", String.format(Locale.ROOT, "%.3f", run.seconds()));
            x.writeCharacters("\n  ");
            x.writeStartElement("properties");
            property(x, "camunit.version", CamunitVersion.current().text());
            property(x, "model", run.model());
            property(x, "data", run.data());
            property(x, "layers", String.join(",", run.layers()));
            property(x, "target", run.target());
            property(x, "samples", String.valueOf(run.samples()));
            x.writeCharacters("\n  ");
            x.writeEndElement();
            String classPrefix = "camunit.evaluate." + run.modelName().replace('.', '_') + ".";
            for (CheckOutcome c : checks) {
                x.writeCharacters("\n  ");
                x.writeStartElement("testcase");
                x.writeAttribute("name", clean(c.check()));
                x.writeAttribute("classname", clean(classPrefix + c.method()));
                x.writeAttribute("time", "0.000");
                if (!c.passed()) {
                    x.writeCharacters("\n    ");
                    x.writeStartElement("failure");
                    x.writeAttribute("message", clean(c.summary()));
                    x.writeAttribute("type", "camunit." + c.kind());
                    x.writeCharacters(clean(c.check() + " with " + c.method() + " on " + run.model() + ": FAIL\n"
                            + String.join("\n", c.details()) + "\n"));
                    x.writeEndElement();
                    x.writeCharacters("\n  ");
                }
                x.writeEndElement();
            }
            x.writeCharacters("\n");
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            // Writing to a StringWriter does not fail on input; this is a broken XML library.
            throw new IllegalStateException("The JDK's XML writer failed: " + e.getMessage(), e);
        }
        return text.toString();
    }

    private static void property(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        x.writeCharacters("\n    ");
        x.writeEmptyElement("property");
        x.writeAttribute("name", name);
        x.writeAttribute("value", clean(value));
    }

    /** XML 1.0 cannot hold most control characters, which a sample id might contain: they become U+FFFD. */
    static String clean(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> out.appendCodePoint(c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                || (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000 ? c : 0xFFFD));
        return out.toString();
    }
}

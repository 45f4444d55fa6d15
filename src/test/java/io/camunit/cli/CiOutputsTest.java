package io.camunit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.camunit.CamunitVersion;
import io.camunit.evaluation.EvaluationResult;
import io.camunit.gate.Gate;
import io.camunit.gate.SampleValue;
import io.camunit.metric.MetricSummary;

import java.io.StringReader;
import java.net.URL;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;

import org.junit.jupiter.api.Test;

/** The CI outputs of evaluate for a small hand-made result: exact text, schema-valid XML, locale-independent. */
class CiOutputsTest {

    /** Four samples: two circles pass peak-inside >= 1, a square does not, a triangle has no value. */
    private static final List<SampleValue> VALUES = List.of(
            new SampleValue("images/0001.png", "circle", 1.0, null),
            new SampleValue("images/0002.png", "circle", 1.0, null),
            new SampleValue("images/0003.png", "square", 0.25, null),
            new SampleValue("images/0004.png", "triangle", null, "map has no positive mass"));

    private static final EvaluationRun RUN = new EvaluationRun("models/shapes.v2.pt", "data/test|a/coco.json",
            List.of("features.10"), "labelled", 4, 1_000, 2_500);

    static EvaluationResult result() {
        MetricSummary summary = new MetricSummary();
        VALUES.forEach(v -> {
            if (v.hasValue()) {
                summary.add(v.label(), v.value());
            } else {
                summary.addFailed(v.label());
            }
        });
        List<EvaluationResult.MethodVerdict> verdicts = List.of(
                new EvaluationResult.MethodVerdict("grad-cam", Gate.parse("peak-inside >= 1 for 50%").judge(VALUES)),
                new EvaluationResult.MethodVerdict("grad-cam", Gate.parse("peak-inside >= 1 for 80%").judge(VALUES)));
        return new EvaluationResult(List.of("grad-cam"), List.of("peak-inside"), 4, Map.of("grad-cam", Map.of(
                "peak-inside", new EvaluationResult.Statistics(summary.overall(), summary.perClass()))), verdicts,
                List.of(), Map.of());
    }

    private static List<CheckOutcome> checks() {
        return CheckOutcome.of(result(), List.of());
    }

    @Test
    void theMarkdownSummaryHasOneRowPerCheckAndTheStatistics() {
        assertThat(SummaryMarkdown.of(RUN, result(), checks())).isEqualTo("""
                ### camunit evaluate: shapes.v2 on data/test\\|a/coco.json

                4 samples; grad-cam at features.10; target: labelled class. **1 of 2 checks failed.**

                | Result | Method | Check | Outcome |
                | --- | --- | --- | --- |
                | ✅ PASS | grad-cam | `peak-inside >= 1 for 50%` | 2/4 samples (50.0 %), 1 without a value |
                | ❌ FAIL | grad-cam | `peak-inside >= 1 for 80%` | 2/4 samples (50.0 %), 1 without a value, worst: \
                images/0004.png no value, images/0003.png 0.250 |

                | Method | Metric | Mean | p10 | Count | Failed |
                | --- | --- | ---: | ---: | ---: | ---: |
                | grad-cam | peak-inside | 0.750000 | 0.400000 | 3 | 1 |

                """);
    }

    @Test
    void theJUnitXmlHasOneTestCasePerCheckAndAFailureWithTheWorstSamples() {
        assertThat(JUnitXml.of(RUN, checks())).isEqualTo("""
                <?xml version="1.0" encoding="UTF-8"?>
                <testsuite name="camunit evaluate shapes.v2" tests="2" failures="1" errors="0" skipped="0" time="1.500">
                  <properties>
                    <property name="camunit.version" value="%s"/>
                    <property name="model" value="models/shapes.v2.pt"/>
                    <property name="data" value="data/test|a/coco.json"/>
                    <property name="layers" value="features.10"/>
                    <property name="target" value="labelled"/>
                    <property name="samples" value="4"/>
                  </properties>
                  <testcase name="peak-inside &gt;= 1 for 50%%" classname="camunit.evaluate.shapes_v2.grad-cam" time="0.000">\
                </testcase>
                  <testcase name="peak-inside &gt;= 1 for 80%%" classname="camunit.evaluate.shapes_v2.grad-cam" time="0.000">
                    <failure message="2/4 samples (50.0 %%), 1 without a value, worst: images/0004.png no value, \
                images/0003.png 0.250" type="camunit.gate">peak-inside &gt;= 1 for 80%% with grad-cam on models/shapes.v2.pt: FAIL
                2/4 samples (50.0 %%), 1 without a value
                per class: circle 2/2, square 0/1, triangle 0/1
                worst samples:
                  images/0004.png no value (map has no positive mass)
                  images/0003.png 0.250
                </failure>
                  </testcase>
                </testsuite>
                """.formatted(CamunitVersion.current()));
    }

    @Test
    void theJUnitXmlIsValidAgainstSurefiresSchema() throws Exception {
        URL xsd = getClass().getResource("/junit-xml/surefire-test-report.xsd");
        assertThat(xsd).as("the build unpacks Surefire's surefire-test-report.xsd onto the test class path"
                + " (maven-dependency-plugin, execution surefire-report-xsd)").isNotNull();
        var validator = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(xsd).newValidator();
        String xml = JUnitXml.of(RUN, checks());

        assertThatCode(() -> validator.validate(new StreamSource(new StringReader(xml)))).doesNotThrowAnyException();
    }

    @Test
    void controlCharactersInASampleIdCannotBreakTheXml() {
        assertThat(JUnitXml.clean("images/a\u0001b\u0000.png \u00e9")).isEqualTo("images/a\ufffdb\ufffd.png \u00e9");
    }

    @Test
    void numbersAreTheSameUnderAGermanDefaultLocale() {
        String markdown = SummaryMarkdown.of(RUN, result(), checks());
        String xml = JUnitXml.of(RUN, checks());

        assertThat(underGermanLocale(() -> SummaryMarkdown.of(RUN, result(), checks()))).isEqualTo(markdown);
        assertThat(underGermanLocale(() -> JUnitXml.of(RUN, checks()))).isEqualTo(xml).contains("time=\"1.500\"");
    }

    @Test
    void withoutChecksTheSummarySaysSoAndStillShowsTheStatistics() {
        assertThat(SummaryMarkdown.of(RUN, result(), List.of())).startsWith("""
                ### camunit evaluate: shapes.v2 on data/test\\|a/coco.json

                4 samples; grad-cam at features.10; target: labelled class. No --gate or --baseline was given.

                | Method | Metric |""");
    }

    private static String underGermanLocale(Supplier<String> s) {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            return s.get();
        } finally {
            Locale.setDefault(before);
        }
    }
}

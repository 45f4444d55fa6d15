// Checks what the example's two runs left (maven-invoker-plugin's post-build hook; invoker.properties says what
// the runs are). Every check names what it expected and what it found; the first failure fails the build.
//   1. the expected tests passed and the expected ones failed (surefire's XML reports; Allure's results for run 1);
//   2. the failing gate and the failing samples carry their evidence as Allure attachments: the contact sheet of
//      the worst samples and the per-class table of the gate, the overlay of each sample (PNGs that decode);
//   3. run 2 (no Allure, -Dcamunit.report.dir=custom-reports) wrote the same evidence as files there, and nothing
//      went to the default report directory (reports/);
//   4. neither run wrote a file outside target/ and the report directory;
//   5. no SLF4J line in the build log (camunit keeps DJL's logging quiet in a project without a logger).
import groovy.json.JsonSlurper
import groovy.xml.XmlSlurper

import java.nio.file.Files
import java.nio.file.Path
import javax.imageio.ImageIO

Path project = basedir.toPath()
List<String> problems = []
def check = { boolean ok, String problem -> if (!ok) problems << problem }

// What each test method must do, and how many invocations it has.
Map<String, Map> expected = [
    'com.example.shapes.LooksAtEachObjectTest.cleanModelLooksAtEachObject'      : [runs: 6, outcome: 'passed'],
    'com.example.shapes.LooksAtEachObjectTest.shortcutModelLooksAtEachObject'   : [runs: 2, outcome: 'failed'],
    'com.example.shapes.ReleaseGateTest.cleanModelPassesTheGate'                : [runs: 1, outcome: 'passed'],
    'com.example.shapes.ReleaseGateTest.shortcutModelPassesTheGate'             : [runs: 1, outcome: 'failed'],
    'com.example.shapes.BaselineRegressionTest.doesNotRegressFromTheReleasedModel': [runs: 1, outcome: 'passed'],
]

// 1. Surefire's reports (of the last run; both runs run the same tests).
Map<String, List<String>> surefire = [:].withDefault { [] }
Path reports = project.resolve('target/surefire-reports')
check(Files.isDirectory(reports), "no surefire reports in ${reports}: the example's tests did not run")
if (Files.isDirectory(reports)) {
    Files.list(reports).withCloseable { files ->
        files.filter { it.fileName.toString() ==~ /TEST-.*\.xml/ }.forEach { Path xml ->
            def suite = new XmlSlurper().parse(xml.toFile())
            suite.testcase.each { tc ->
                String method = tc.@name.text().replaceFirst(/[(\[].*$/, '')
                String outcome = tc.failure.size() > 0 ? 'failed' : tc.error.size() > 0 ? 'error'
                        : tc.skipped.size() > 0 ? 'skipped' : 'passed'
                surefire["${tc.@classname.text()}.${method}"] << outcome
                if (outcome == 'failed') {
                    check(tc.failure.@type.text().contains('CamAssertionError'),
                            "${tc.@classname}.${tc.@name} failed with ${tc.failure.@type}, expected camunit's CamAssertionError")
                }
            }
        }
    }
}
check(surefire.keySet() == expected.keySet(), "surefire ran ${surefire.keySet().sort()}, expected ${expected.keySet().sort()}")
expected.each { name, e ->
    List<String> outcomes = surefire[name]
    check(outcomes.size() == e.runs && outcomes.every { it == e.outcome },
            "surefire: ${name} should have ${e.runs} run(s), all ${e.outcome}; got ${outcomes}")
}

// 1 and 2. Allure's results of run 1, with the evidence of the failures.
Path allure = project.resolve('target/allure-results')
List<Map> results = []
if (Files.isDirectory(allure)) {
    Files.list(allure).withCloseable { files ->
        files.filter { it.fileName.toString().endsWith('-result.json') }.forEach { results << new JsonSlurper().parse(it.toFile()) }
    }
}
check(!results.isEmpty(), "no Allure results in ${allure}: run 1 should have written them (src/test/resources/allure.properties)")
Map<String, List<Map>> byTest = results.groupBy { it.fullName as String }
expected.each { name, e ->
    List<Map> runs = byTest[name] ?: []
    check(runs.size() == e.runs && runs.every { it.status == e.outcome },
            "Allure: ${name} should have ${e.runs} result(s), all ${e.outcome}; got ${runs*.status}")
}

def png = { Path file ->
    try {
        def image = ImageIO.read(file.toFile())
        return image != null && image.width > 0 && image.height > 0
    } catch (IOException e) {
        throw new IllegalStateException("Cannot read ${file}: ${e}", e)
    }
}
def attachment = { Map result, String prefix, String type ->
    def found = (result.attachments ?: []).find { (it.name as String).startsWith(prefix) && it.type == type }
    if (found == null) {
        problems << "Allure: ${result.fullName} ${result.name} has no '${prefix}...' attachment of type ${type}; it has ${(result.attachments ?: [])*.name}"
        return null
    }
    Path file = allure.resolve(found.source as String)
    check(Files.size(file) > 0, "Allure attachment ${found.name} is empty: ${file}")
    return file
}
(byTest['com.example.shapes.ReleaseGateTest.shortcutModelPassesTheGate'] ?: []).each { gate ->
    Path sheet = attachment(gate, 'worst ', 'image/png')
    check(sheet == null || png(sheet), "the gate's contact sheet ${sheet} is not a readable PNG")
    attachment(gate, 'per class ', 'text/csv')
    attachment(gate, 'metrics ', 'application/json')
}
(byTest['com.example.shapes.LooksAtEachObjectTest.shortcutModelLooksAtEachObject'] ?: []).each { sample ->
    Path overlay = attachment(sample, 'overlay ', 'image/png')
    check(overlay == null || png(overlay), "the sample's overlay ${overlay} is not a readable PNG")
}
results.findAll { it.status == 'passed' }.each { passed ->
    check(!(passed.attachments ?: []).any { (it.name as String).startsWith('overlay ') || (it.name as String).startsWith('worst ') },
            "Allure: ${passed.fullName} passed but has evidence attached (the default policy is on-failure)")
}

// 3. Run 2: evidence as files under the report directory it was given, none in the default one.
Path elsewhere = project.resolve('custom-reports/evidence')
List<String> evidence = []
if (Files.isDirectory(elsewhere)) {
    Files.walk(elsewhere).withCloseable { files ->
        files.filter { Files.isRegularFile(it) }.forEach { evidence << elsewhere.relativize(it).toString() }
    }
}
def evidenceFile = { String dir, String pattern ->
    String found = evidence.find { it.startsWith(dir + '/') && it.substring(dir.length() + 1) ==~ pattern }
    check(found != null, "no evidence file ${dir}/${pattern} under ${elsewhere}; found ${evidence.sort()}")
    return found == null ? null : elsewhere.resolve(found)
}
Path sheetFile = evidenceFile('com.example.shapes.ReleaseGateTest/shortcutModelPassesTheGate', /\d\d-worst_.*\.png/)
check(sheetFile == null || png(sheetFile), "${sheetFile} is not a readable PNG")
evidenceFile('com.example.shapes.ReleaseGateTest/shortcutModelPassesTheGate', /\d\d-per_class_.*\.csv/)
(1..2).each { i ->
    Path overlay = evidenceFile("com.example.shapes.LooksAtEachObjectTest/shortcutModelLooksAtEachObject[${i}]".toString(),
            /\d\d-overlay_.*\.png/)
    check(overlay == null || png(overlay), "${overlay} is not a readable PNG")
}
check(evidence.every { it.contains('shortcutModel') },
        "evidence for a passing test under ${elsewhere}: ${evidence.findAll { !it.contains('shortcutModel') }}")
check(!Files.exists(project.resolve('reports')), "run 2 moved the report directory, yet ${project.resolve('reports')} exists")

// 4. Nothing written outside target/ and the report directory.
Set<String> before = Files.readAllLines(project.resolve('target/files-before-build.txt')) as Set
List<String> written = []
Files.walk(project).withCloseable { files ->
    files.filter { Files.isRegularFile(it) }.forEach { Path f ->
        String rel = project.relativize(f).toString()
        if (!(rel in before) && !rel.startsWith('target/') && !rel.startsWith('custom-reports/') && rel != 'build.log') {
            written << rel
        }
    }
}
check(written.isEmpty(), "the build wrote files outside target/ and the report directory: ${written.sort()}")

// 5. No SLF4J output in either run's log.
List<String> slf4j = Files.readAllLines(project.resolve('build.log')).findAll { it.contains('SLF4J') }
check(slf4j.isEmpty(), "the build log has SLF4J output: ${slf4j.take(5)}")

if (!problems.isEmpty()) {
    throw new AssertionError("The example project did not behave as expected:\n  - " + problems.join('\n  - '))
}
println "verify: ${surefire.values().sum { it.size() }} tests as expected (${surefire.values().flatten().count { it == 'failed' }} failing on purpose), " +
        "evidence in Allure's results and under custom-reports/evidence, nothing written elsewhere, a quiet log"
return true

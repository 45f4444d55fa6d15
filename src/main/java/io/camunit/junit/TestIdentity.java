package io.camunit.junit;

import io.camunit.report.SafeName;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which test evidence belongs to: JUnit's unique id (to find Allure's test case), and the class,
 * method and invocation that name its evidence directory.
 *
 * @param uniqueId JUnit's unique id of the test
 * @param className the test class's binary name, e.g. {@code com.acme.GateTest$Nested}
 * @param methodName the test method's name
 * @param invocation the invocation index of a parameterized or repeated test, or of a dynamic test
 */
record TestIdentity(String uniqueId, String className, String methodName, Optional<Integer> invocation) {

    /** Directory names are cut to this length. */
    static final int MAX_NAME = 120;

    private static final Pattern LAST_SEGMENT = Pattern.compile("\\[([^:\\]]+):#(\\d+)\\]$");

    /**
     * @param uniqueId JUnit's unique id
     * @param className the test class
     * @param methodName the test method
     * @return the identity, with the invocation index read from the id's last segment, e.g.
     *     {@code [test-template-invocation:#3]}
     */
    static TestIdentity of(String uniqueId, String className, String methodName) {
        Matcher m = LAST_SEGMENT.matcher(uniqueId);
        return new TestIdentity(uniqueId, className, methodName,
                m.find() ? Optional.of(Integer.parseInt(m.group(2))) : Optional.empty());
    }

    /**
     * @param reportDir the report directory
     * @return {@code <reportDir>/evidence/<class>/<method>[<invocation>]}, every part made safe
     */
    Path directory(Path reportDir) {
        String method = SafeName.of(methodName, MAX_NAME, "test") + invocation.map(i -> "[" + i + "]").orElse("");
        return reportDir.resolve("evidence").resolve(SafeName.of(className, MAX_NAME, "tests")).resolve(method);
    }
}

package io.camunit.report;

import io.camunit.CamunitException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * Chooses where a test's evidence goes: Allure's results when Allure is on the class path and its
 * JUnit listener runs this very test on this thread, otherwise the given directory.
 *
 * <pre>{@code
 * EvidenceSink sink = EvidenceSinks.forTest(context.getUniqueId(),
 *         new DirectorySink(Path.of("reports/evidence/com.acme.GateTest/peakInside")));
 * }</pre>
 *
 * <p>Allure is optional: its classes are looked up with {@link Class#forName}, and the one class
 * that uses them is loaded by reflection only when they are there.
 */
public final class EvidenceSinks {

    /** The class whose presence means Allure's Java API is available. */
    public static final String ALLURE_CLASS = "io.qameta.allure.Allure";

    private EvidenceSinks() {}

    /**
     * @param uniqueId the JUnit unique id of the running test
     * @param fallback where evidence goes without Allure
     * @return the Allure sink, or {@code fallback}
     */
    public static EvidenceSink forTest(String uniqueId, EvidenceSink fallback) {
        ClassLoader loader = EvidenceSinks.class.getClassLoader();
        if (!allurePresent(loader)) {
            return fallback;
        }
        try {
            Class<?> sink = Class.forName(EvidenceSinks.class.getPackageName() + ".AllureSink", true, loader);
            Method forTest = sink.getDeclaredMethod("forTest", String.class);
            forTest.setAccessible(true);
            EvidenceSink allure = (EvidenceSink) forTest.invoke(null, uniqueId);
            return allure == null ? fallback : allure;
        } catch (InvocationTargetException e) {
            throw new CamunitException("Allure could not be asked for the running test: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new CamunitException("Allure is on the class path but camunit cannot use it (" + e + "). Use"
                    + " allure-java-commons 2.x (camunit is built with 2.35), or remove Allure to keep evidence"
                    + " under reports/evidence/.", e);
        }
    }

    /**
     * Adds entries to the Environment of Allure's report, when Allure runs the test
     * {@code uniqueId}; does nothing without Allure.
     *
     * @param uniqueId the JUnit unique id of the running test
     * @param entries the entries, e.g. {@code camunit.engine.status=verified}
     * @return whether they were written
     */
    public static boolean recordEnvironment(String uniqueId, Map<String, String> entries) {
        ClassLoader loader = EvidenceSinks.class.getClassLoader();
        if (!allurePresent(loader)) {
            return false;
        }
        try {
            Class<?> sink = Class.forName(EvidenceSinks.class.getPackageName() + ".AllureSink", true, loader);
            Method environment = sink.getDeclaredMethod("environment", String.class, Map.class);
            environment.setAccessible(true);
            return (Boolean) environment.invoke(null, uniqueId, entries);
        } catch (InvocationTargetException e) {
            throw new CamunitException("Cannot write Allure's environment.properties: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new CamunitException("Allure is on the class path but camunit cannot use it (" + e + "). Use"
                    + " allure-java-commons 2.x (camunit is built with 2.35).", e);
        }
    }

    /**
     * @param loader where to look
     * @return true when Allure's Java API can be loaded there
     */
    static boolean allurePresent(ClassLoader loader) {
        try {
            Class.forName(ALLURE_CLASS, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }
}

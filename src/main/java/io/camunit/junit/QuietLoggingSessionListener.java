package io.camunit.junit;

import io.camunit.engine.QuietLogging;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Keeps SLF4J quiet in a test run whose project declares no SLF4J provider, from the very start of
 * the run. {@link QuietLogging} selects SLF4J's no-operation provider before camunit first starts
 * the engine, but a test run can make its first logger earlier: Allure's JUnit listener logs through
 * SLF4J too and is created with the launcher, before any test class is loaded, so SLF4J would print
 * "No SLF4J providers were found" at the top of every run of a project that has Allure and no
 * logger. JUnit creates session listeners before the launcher and its test-execution listeners, so
 * this one, registered in {@code META-INF/services}, runs first. A project with a provider keeps it.
 *
 * <p>Users do nothing: JUnit finds it on the test class path next to camunit.
 *
 * <pre>{@code
 * # META-INF/services/org.junit.platform.launcher.LauncherSessionListener (inside camunit's jar)
 * io.camunit.junit.QuietLoggingSessionListener
 * }</pre>
 */
public final class QuietLoggingSessionListener implements LauncherSessionListener {

    /** Made by JUnit's {@link java.util.ServiceLoader} before the launcher's other listeners. */
    public QuietLoggingSessionListener() {
        // The constructor, not launcherSessionOpened: JUnit opens the session after it has made the launcher
        // and its test-execution listeners, Allure's among them.
        QuietLogging.beforeFirstLogger();
    }

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        // Nothing more: the constructor did the work, before the launcher existed.
    }
}

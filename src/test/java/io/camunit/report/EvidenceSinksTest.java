package io.camunit.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Allure is optional: without it the directory sink is used, and camunit's classes load without it. */
class EvidenceSinksTest {

    @Test
    void withoutAllureOnTheClassPathTheFallbackIsUsedAndNothingFailsToLoad(@TempDir Path dir) throws Exception {
        URL classes = EvidenceSinks.class.getProtectionDomain().getCodeSource().getLocation();
        // camunit's own classes only, on the platform loader: no Allure, no JUnit, no Gson.
        try (URLClassLoader withoutAllure = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> Class.forName(EvidenceSinks.ALLURE_CLASS, false, withoutAllure))
                    .isInstanceOf(ClassNotFoundException.class);
            Class<?> sinks = Class.forName(EvidenceSinks.class.getName(), true, withoutAllure);
            Class<?> sinkType = Class.forName(EvidenceSink.class.getName(), true, withoutAllure);
            Object fallback = Class.forName(DirectorySink.class.getName(), true, withoutAllure)
                    .getConstructor(Path.class).newInstance(dir);
            Method forTest = sinks.getMethod("forTest", String.class, sinkType);
            assertThat(forTest.invoke(null, "[engine:junit-jupiter]/[class:x]/[method:y()]", fallback))
                    .isSameAs(fallback);
        }
    }

    @Test
    void withAllureButNoAllureTestCaseForThisTestTheFallbackIsUsed(@TempDir Path dir) {
        DirectorySink fallback = new DirectorySink(dir);
        assertThat(EvidenceSinks.forTest("[engine:junit-jupiter]/[class:not.Running]/[method:nothing()]", fallback))
                .isSameAs(fallback);
    }
}

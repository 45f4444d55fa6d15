package io.camunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * The session listener is what JUnit finds next to camunit; that it keeps SLF4J quiet in a project with
 * Allure and no logger is checked by the example project's build (its verify.groovy reads the build log).
 */
class QuietLoggingSessionListenerTest {

    @Test
    void junitFindsItThroughTheServiceLoader() {
        assertThat(ServiceLoader.load(LauncherSessionListener.class).stream().map(ServiceLoader.Provider::type))
                .contains(QuietLoggingSessionListener.class);
    }

    @Test
    void aClassPathWithAProviderKeepsIt() {
        // The test class path has slf4j-simple, so no provider is chosen for it.
        String before = System.getProperty("slf4j.provider");
        new QuietLoggingSessionListener();
        assertThat(System.getProperty("slf4j.provider")).isEqualTo(before);
    }
}

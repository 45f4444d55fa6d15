package io.camunit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;

import org.junit.jupiter.api.Test;

class QuietLoggingTest {

    @Test
    void aProviderOnTheClassPathIsFoundAndLeftToDoItsWork() {
        // The test class path has slf4j-simple.
        assertThat(QuietLogging.hasProvider(QuietLoggingTest.class.getClassLoader())).isTrue();
    }

    @Test
    void aClassPathWithoutProviderIsRecognised() throws Exception {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            assertThat(QuietLogging.hasProvider(empty)).isFalse();
        }
    }

    @Test
    void theNoOperationProviderIsSlf4jsOwn() throws Exception {
        assertThat(Class.forName(QuietLogging.NO_OPERATION)).isAssignableTo(org.slf4j.spi.SLF4JServiceProvider.class);
    }
}

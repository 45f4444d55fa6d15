package io.camunit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class CamunitVersionTest {

    @Test
    void theJarsVersionIsThePomsVersion() throws IOException {
        Matcher m = Pattern.compile("<artifactId>camunit</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertThat(m.find()).isTrue();
        assertThat(CamunitVersion.current().text()).isEqualTo(m.group(1));
    }

    @Test
    void parsesMajorAndMinor() {
        assertThat(CamunitVersion.parse("12.3.4-SNAPSHOT")).isEqualTo(new CamunitVersion("12.3.4-SNAPSHOT", 12, 3));
        assertThat(CamunitVersion.parse("0.2")).isEqualTo(new CamunitVersion("0.2", 0, 2));
    }

    @Test
    void onlyANewerMajorOrMinorIsANewerFormat() {
        CamunitVersion v = CamunitVersion.parse("1.4.0");
        assertThat(CamunitVersion.parse("1.5.0").isNewerFormatThan(v)).isTrue();
        assertThat(CamunitVersion.parse("2.0.0").isNewerFormatThan(v)).isTrue();
        assertThat(CamunitVersion.parse("1.4.9").isNewerFormatThan(v)).isFalse();
        assertThat(CamunitVersion.parse("0.9.0").isNewerFormatThan(v)).isFalse();
    }

    @Test
    void aMalformedVersionIsRefused() {
        assertThatThrownBy(() -> CamunitVersion.parse("v1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("A camunit version is MAJOR.MINOR[.PATCH][-QUALIFIER], e.g. 0.1.0 or 0.2.0-SNAPSHOT; got 'v1'");
    }
}

package io.camunit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * Sample ids become map file names ({@code evaluate --save-maps}); whatever an annotation file
 * calls its samples, no name leaves the output directory, names a hidden file or an option, or
 * collides with another (case-insensitively).
 */
class MapFileNamesPropertyTest {

    private static final String[] PIECES = {"..", ".", "/", "\\", "../", "..\\", "~", "-", "C:", "\u0000", " ", "%2e",
        "\u2215", "\uFF0E", "a", "B", "0", "_", "images/", ".png", "\u00e9", "\uD83D\uDE00", "\n", "$HOME", "*"};

    @Test
    void tenThousandRandomIdsGiveSafeUniqueNamesInsideTheOutputDirectory() {
        Random random = new Random(20251125L);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            StringBuilder id = new StringBuilder();
            int parts = 1 + random.nextInt(8);
            for (int p = 0; p < parts; p++) {
                id.append(PIECES[random.nextInt(PIECES.length)]);
            }
            ids.add(id.toString());
        }
        ids.addAll(List.of("../../x", "/etc/passwd", "..", "...", "a/../../b", "C:\\Windows\\x", "-rf", ".hidden"));
        Map<String, String> names = MapFiles.names(ids);
        Path out = Path.of("reports", "eval", "maps", "grad-cam").toAbsolutePath().normalize();
        Set<String> lower = new HashSet<>();
        for (String id : names.keySet()) {
            String name = names.get(id);
            assertThat(name).as(id).matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,130}\\.npy");
            assertThat(lower.add(name.toLowerCase(Locale.ROOT))).as("unique: %s", name).isTrue();
            Path file = out.resolve(name).normalize();
            assertThat(file.getParent()).as(id).isEqualTo(out);
        }
        assertThat(names).hasSize(new HashSet<>(ids).size());
    }
}

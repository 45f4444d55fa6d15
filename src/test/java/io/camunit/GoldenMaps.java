package io.camunit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.camunit.explain.Explanation;
import io.camunit.heatmap.Heatmap;
import io.camunit.report.Npy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Maps a fixture generator computed with PyTorch: {@code goldens.json} (one object per case, with
 * the name of its map) and the maps themselves in {@code maps.npz}; {@link #assertMatches} compares
 * an explanation with a case.
 */
public final class GoldenMaps {

    private final Path dir;
    private final List<JsonObject> cases;
    private final Map<String, Heatmap> maps = new HashMap<>();

    private GoldenMaps(Path dir) {
        this.dir = dir;
        try {
            JsonObject root = JsonParser.parseString(Files.readString(dir.resolve("goldens.json"))).getAsJsonObject();
            cases = root.getAsJsonArray("cases").asList().stream().map(JsonElement::getAsJsonObject).toList();
            try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(dir.resolve(root.get("maps").getAsString())))) {
                for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                    maps.put(e.getName(), Npy.read(zip, e.getName()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the goldens in " + dir, e);
        }
    }

    public static GoldenMaps read(Path dir) {
        return new GoldenMaps(dir);
    }

    public Path dir() {
        return dir;
    }

    public List<JsonObject> cases() {
        return cases;
    }

    /** @param name the case's map name, e.g. {@code x.display.npy} */
    public Heatmap map(String name) {
        Heatmap m = maps.get(name);
        if (m == null) {
            throw new IllegalArgumentException("No map " + name + " in " + dir);
        }
        return m;
    }

    /**
     * Asserts that an explanation equals a case's PyTorch reference: the class, the score to 1e-4,
     * the display map to 1e-4 and the raw map to 1e-4 of its maximum (at least 1e-4).
     *
     * @param e the explanation Java computed
     * @param c the case, with {@code class}, {@code score}, {@code display} and {@code raw}
     */
    public void assertMatches(Explanation e, JsonObject c) {
        assertThat(e.targetClass()).isEqualTo(c.get("class").getAsInt());
        assertThat(e.score()).isCloseTo(c.get("score").getAsDouble(), within(1e-4));
        assertThat(e.display().maxAbsDifference(map(c.get("display").getAsString()))).isLessThan(1e-4);
        Heatmap raw = map(c.get("raw").getAsString());
        assertThat(e.raw().maxAbsDifference(raw)).isLessThan(1e-4 * Math.max(1, raw.max()));
    }
}

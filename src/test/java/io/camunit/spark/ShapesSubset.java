package io.camunit.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The first scenes of the shapes test split copied into a data folder of their own: small data for Spark tests. */
public final class ShapesSubset {

    private static final Path TEST = Path.of("fixtures/shapes/test");

    private ShapesSubset() {}

    /**
     * @param dir an empty folder
     * @param count how many scenes (images of fixtures/shapes/test/manifest.csv, with all their objects), at most 60
     * @return the manifest, beside its images and masks
     */
    public static Path write(Path dir, int count) throws IOException {
        List<String> lines = Files.readAllLines(TEST.resolve("manifest.csv"));
        List<String> kept = new ArrayList<>(List.of(lines.get(0)));
        Set<String> images = new LinkedHashSet<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            if (images.add(cells[0]) && images.size() > count) {
                break;
            }
            kept.add(line);
            for (String file : new String[] {cells[0], cells[3]}) {
                Path to = dir.resolve(file);
                Files.createDirectories(to.getParent());
                if (!Files.exists(to)) {
                    Files.copy(TEST.resolve(file), to);
                }
            }
        }
        Path manifest = dir.resolve("manifest.csv");
        Files.write(manifest, kept);
        return manifest;
    }
}

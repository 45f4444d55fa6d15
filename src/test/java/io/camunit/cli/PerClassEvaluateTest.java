package io.camunit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code camunit evaluate --target labelled} on a data set whose scene 0001 holds a square and a
 * circle: one row per image and class, the label column naming the explained class, and a map
 * file of its own for each row.
 */
class PerClassEvaluateTest {

    private static final String TWO_CLASSES = "src/test/resources/io/camunit/junit/two-classes/coco.json";

    private static int run(Path out, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--out", out.toString()));
        return Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                all.toArray(String[]::new));
    }

    @Test
    void anImageOfTwoClassesGivesTwoRowsAndTwoMapsLabelledWithTheirClass(@TempDir Path out) throws IOException {
        int code = run(out, "evaluate", "--model", "fixtures/models/shapes-clean.pt", "--data", TWO_CLASSES,
                "--method", "grad-cam", "--metrics", "peak-inside", "--save-maps");

        assertThat(code).isZero();
        List<String> rows = Files.readAllLines(out.resolve("samples.csv"));
        assertThat(rows).hasSize(4);
        assertThat(rows.subList(1, 4)).extracting(r -> String.join(",", List.of(r.split(",")).subList(0, 4)))
                .containsExactly("images/0001.png#square,square,grad-cam,square",
                        "images/0001.png#circle,circle,grad-cam,circle",
                        "images/0002.png,circle,grad-cam,circle");
        assertThat(Files.readAllLines(out.resolve("maps/index.csv"))).containsExactly("id,label,file",
                "images/0001.png#square,square,images_0001.png_square.npy",
                "images/0001.png#circle,circle,images_0001.png_circle.npy",
                "images/0002.png,circle,images_0002.png.npy");
        assertThat(out.resolve("maps/grad-cam/images_0001.png_square.npy")).isRegularFile();
        assertThat(out.resolve("maps/grad-cam/images_0001.png_circle.npy")).isRegularFile();
    }

    @Test
    void classesNarrowTheItemsToThoseClasses(@TempDir Path out) throws IOException {
        int code = run(out, "evaluate", "--model", "fixtures/models/shapes-clean.pt", "--data", TWO_CLASSES,
                "--method", "grad-cam", "--metrics", "peak-inside", "--classes", "square");

        assertThat(code).isZero();
        assertThat(Files.readAllLines(out.resolve("samples.csv"))).hasSize(2)
                .element(1).asString().startsWith("images/0001.png#square,square,");
    }
}

package io.camunit.cli;

import io.camunit.CamunitException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks the paths of the output options before a run starts, so that a long evaluation does not
 * end in a path that cannot be written; every message names the option and the path.
 *
 * <pre>{@code
 * OutputPaths.requireFile("--junit-xml", Path.of("target/camunit-gates.xml"));
 * OutputPaths.requireDirectory("--allure-results", Path.of("target/allure-results"));
 * }</pre>
 */
final class OutputPaths {

    private OutputPaths() {}

    /**
     * @param option the option, e.g. {@code --junit-xml}
     * @param file the file it names, created (with missing parent directories) after the run
     * @throws CamunitException when the path is a directory, or a parent on it is a file
     */
    static void requireFile(String option, Path file) {
        if (Files.isDirectory(file)) {
            throw new CamunitException("Option " + option + " names " + file + ", which is a directory; give a file"
                    + " name, e.g. " + file.resolve(example(option)) + ".");
        }
        requireNoFileOnTheWay(option, file.toAbsolutePath().getParent(), file);
    }

    /**
     * @param option the option, e.g. {@code --allure-results}
     * @param dir the directory it names, created when missing
     * @throws CamunitException when the path, or a parent on it, is a file
     */
    static void requireDirectory(String option, Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new CamunitException("Option " + option + " names " + dir + ", which is a file; give a directory"
                    + " (Allure's results directory, e.g. target/allure-results).");
        }
        requireNoFileOnTheWay(option, dir.toAbsolutePath().getParent(), dir);
    }

    /**
     * @param option the option
     * @param path the path it names
     * @param e why writing failed
     * @return the error to throw, naming the option and the path and keeping the cause
     */
    static CamunitException cannotWrite(String option, Path path, Exception e) {
        return new CamunitException("Option " + option + ": cannot write " + path + ": " + e.getMessage()
                + (e.getMessage() != null && e.getMessage().endsWith(".") ? "" : ".")
                + " Give a path in a writable directory.", e);
    }

    private static void requireNoFileOnTheWay(String option, Path parent, Path given) {
        for (Path p = parent; p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new CamunitException("Option " + option + " names " + given + ", but " + p + " is a file,"
                            + " not a directory; give a path whose parents are directories (or do not exist yet).");
                }
                return;
            }
        }
    }

    private static String example(String option) {
        return option.equals("--summary-md") ? "camunit-summary.md" : "camunit-gates.xml";
    }
}

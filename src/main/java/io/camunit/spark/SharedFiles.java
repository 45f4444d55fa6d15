package io.camunit.spark;

import io.camunit.CamunitException;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.spark.SparkFiles;

/**
 * Where an executor finds its copy of a file or folder the driver shared: Spark's own distribution
 * ({@code addFile}, {@code addArchive}) puts each under {@link SparkFiles#getRootDirectory()} by its
 * name; this maps the driver's path to that copy.
 */
final class SharedFiles implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String driverDirectory;
    // Absolute driver path -> name under SparkFiles; an archive's name is the unpacked folder's.
    private final LinkedHashMap<String, String> files = new LinkedHashMap<>();
    private final LinkedHashMap<String, String> folders = new LinkedHashMap<>();

    SharedFiles(Path driverDirectory) {
        this.driverDirectory = driverDirectory.toAbsolutePath().normalize().toString();
    }

    void addFile(Path driverPath, String name) {
        files.put(absolute(driverPath).toString(), name);
    }

    void addFolder(Path driverPath, String archiveName) {
        folders.put(absolute(driverPath).toString(), archiveName);
    }

    /**
     * @param driverPath a shared file, a shared folder or a path under one, as the driver names it
     * @return the executor's copy
     * @throws CamunitException when the path was not shared
     */
    Path localCopy(Path driverPath) {
        Path p = absolute(driverPath);
        String name = files.get(p.toString());
        if (name != null) {
            return Path.of(SparkFiles.get(name));
        }
        for (Map.Entry<String, String> folder : folders.entrySet()) {
            Path root = Path.of(folder.getKey());
            if (p.startsWith(root)) {
                return Path.of(SparkFiles.get(folder.getValue())).resolve(root.relativize(p).toString());
            }
        }
        throw new CamunitException("The executor needs " + p + ", which the driver did not share with Spark; shared"
                + " are the files " + files.keySet() + " and the folders " + folders.keySet() + ".");
    }

    /** Relative paths are the driver's: an executor's working directory is another. */
    private Path absolute(Path path) {
        return Path.of(driverDirectory).resolve(path).normalize();
    }
}

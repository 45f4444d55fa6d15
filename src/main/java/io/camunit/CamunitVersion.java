package io.camunit;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A camunit release's version, e.g. {@code 0.1.0} or {@code 0.2.0-SNAPSHOT}: the one of this jar,
 * which the build writes into {@code io/camunit/version.properties} (and into the exporter the jar
 * ships), and versions read from files, compared by major and minor number.
 *
 * <pre>{@code
 * CamunitVersion.current().text();                               // "0.1.0-SNAPSHOT"
 * CamunitVersion.parse("0.2.1").isNewerFormatThan(CamunitVersion.parse("0.1.9"));  // true
 * }</pre>
 *
 * @param text the version as written, e.g. {@code 0.1.0-SNAPSHOT}
 * @param major its first number
 * @param minor its second number
 */
public record CamunitVersion(String text, int major, int minor) {

    /** The class-path resource the build writes. */
    public static final String RESOURCE = "/io/camunit/version.properties";

    /** MAJOR.MINOR, optionally .PATCH and a qualifier such as -SNAPSHOT. */
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})\\.(\\d{1,9})(\\.\\d{1,9})?(-[A-Za-z0-9.]+)?");

    /**
     * @param text a version such as {@code 0.1.0} or {@code 1.2.3-SNAPSHOT}
     * @return it, parsed
     * @throws IllegalArgumentException when it is not of that form
     */
    public static CamunitVersion parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("A camunit version is MAJOR.MINOR[.PATCH][-QUALIFIER], e.g. 0.1.0"
                    + " or 0.2.0-SNAPSHOT; got '" + text + "'");
        }
        return new CamunitVersion(text, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /**
     * @return this jar's version, as the build wrote it
     * @throws CamunitException when the build did not write it (a class path without the resources)
     */
    public static CamunitVersion current() {
        return Holder.CURRENT;
    }

    /**
     * Files change format only with a new minor (or major) release, so an exporter of a newer minor
     * release may write what this release cannot read; patch releases never change the format.
     *
     * @param other another version
     * @return true when this version's major.minor is greater than the other's
     */
    public boolean isNewerFormatThan(CamunitVersion other) {
        return major != other.major ? major > other.major : minor > other.minor;
    }

    /** @return e.g. {@code 0.1.x}: the releases whose files this one reads at the newest */
    public String series() {
        return major + "." + minor + ".x";
    }

    @Override
    public String toString() {
        return text;
    }

    /** Read once, when first asked for. */
    private static final class Holder {
        private static final CamunitVersion CURRENT = load();

        private static CamunitVersion load() {
            try (InputStream in = CamunitVersion.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new CamunitException("This camunit build has no " + RESOURCE + "; build it with mvn package,"
                            + " which writes the version there.");
                }
                Properties p = new Properties();
                p.load(in);
                return parse(p.getProperty("version", ""));
            } catch (IOException e) {
                throw new CamunitException("Cannot read " + RESOURCE + " from the camunit jar: " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new CamunitException("The camunit build wrote a malformed " + RESOURCE + ": " + e.getMessage(), e);
            }
        }
    }
}

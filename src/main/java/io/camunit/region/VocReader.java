package io.camunit.region;

import io.camunit.CamunitException;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Pascal VOC annotation XML: {@code filename}, {@code size/width}, {@code size/height}, and per
 * {@code object} its {@code name}, {@code difficult} and {@code bndbox} (1-based inclusive corners),
 * plus camunit's optional {@code <shortcut_mark>} (same corners) as the distractor. See
 * {@link DatasetFormats} for the directory layout and the image search order.
 */
final class VocReader {

    private VocReader() {}

    /** @param path a directory with {@code Annotations/} or {@code *.xml}, or one XML file */
    static LabeledDataset read(Path path, DatasetOptions options) {
        List<Path> files;
        Path xmlDirectory;
        if (Files.isDirectory(path)) {
            Path annotations = path.resolve("Annotations");
            xmlDirectory = Files.isDirectory(annotations) ? annotations : path;
            files = xmlFiles(xmlDirectory);
        } else {
            xmlDirectory = CocoReader.parentOf(path);
            files = List.of(path);
        }
        Path root = xmlDirectory.toAbsolutePath().normalize().getParent();
        DocumentBuilder builder = hardenedBuilder();
        Checks.ClassList classes = new Checks.ClassList(options.classNames());
        List<LabeledSample> samples = new ArrayList<>(files.size());
        for (Path file : files) {
            samples.add(sample(file, parse(builder, file), xmlDirectory, root, classes, options));
        }
        return new Dataset(path, "Pascal VOC", classes.classes(), samples);
    }

    static List<Path> xmlFiles(Path directory) {
        try (Stream<Path> list = Files.list(directory)) {
            return list.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".xml"))
                    .filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new CamunitException("Cannot list directory " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * A parser that refuses DOCTYPE declarations outright, so no entity (internal or external) can
     * be defined: this closes XXE and entity-expansion attacks on annotation files from elsewhere.
     */
    static DocumentBuilder hardenedBuilder() {
        try {
            // The JDK's own parser, whose hardening features below are known, whatever parser the class path brings.
            DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(false);
            DocumentBuilder builder = f.newDocumentBuilder();
            // The default handler prints "[Fatal Error]" to stderr before throwing; the exception suffices.
            builder.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {}

                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw e;
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("This JDK's XML parser cannot be hardened against XXE", e);
        }
    }

    static Document parse(DocumentBuilder builder, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return builder.parse(in, file.toUri().toString());
        } catch (SAXParseException e) {
            String position = "line " + e.getLineNumber() + ", column " + e.getColumnNumber();
            if (String.valueOf(e.getMessage()).contains("DOCTYPE")) {
                throw new CamunitException(file + ": " + position + ": expected a Pascal VOC annotation without a"
                        + " DOCTYPE; found a DOCTYPE declaration. DOCTYPEs and the entities they define are refused"
                        + " because they can read local files or URLs (XXE); remove the <!DOCTYPE ...> and any"
                        + " entity references.", e);
            }
            throw new CamunitException(file + ": " + position + ": expected well-formed XML; found a syntax error: "
                    + e.getMessage() + " Fix the file or re-export it.", e);
        } catch (SAXException | IOException e) {
            throw new CamunitException(file + ": cannot be read as XML: " + e.getMessage()
                    + ". Check that the file exists and is a Pascal VOC annotation.", e);
        }
    }

    private static LabeledSample sample(Path file, Document doc, Path xmlDirectory, Path root,
            Checks.ClassList classes, DatasetOptions options) {
        Element annotation = doc.getDocumentElement();
        Where where = Where.in(file).child(annotation.getTagName());
        if (!annotation.getTagName().equals("annotation")) {
            throw Where.in(file).fail("the root element <annotation> of a Pascal VOC file",
                    "<" + annotation.getTagName() + ">", "Is this a Pascal VOC annotation?");
        }
        String filename = text(required(annotation, "filename", where), where.child("filename"));
        Element size = required(annotation, "size", where);
        int width = size(size, "width", where.child("size"));
        int height = size(size, "height", where.child("size"));
        Checks.imageSize(width, height, where.child("size"));

        List<LabeledObject> objects = new ArrayList<>();
        int index = 0;
        for (Element object : children(annotation, "object")) {
            Where ow = where.child("object").index(index++);
            String name = text(required(object, "name", ow), ow.child("name"));
            classes.accept(name, ow.child("name"));
            boolean difficult = false;
            Element difficultElement = child(object, "difficult");
            if (difficultElement != null) {
                String flag = text(difficultElement, ow.child("difficult"));
                if (!flag.equals("0") && !flag.equals("1")) {
                    throw ow.child("difficult").fail("0 or 1", "'" + flag + "'", "Fix the flag");
                }
                difficult = flag.equals("1");
            }
            Box box = corners(required(object, "bndbox", ow), width, height, ow.child("bndbox"));
            if (!difficult || options.includeDifficult()) {
                objects.add(new LabeledObject(name, box));
            }
        }
        Optional<Region> mark = Optional.empty();
        Element markElement = child(annotation, "shortcut_mark");
        if (markElement != null) {
            mark = Optional.of(corners(markElement, width, height, where.child("shortcut_mark")));
        }
        Path image = image(filename, xmlDirectory, options, where.child("filename"));
        // The id is the image path relative to the data set root, as COCO's file_name usually is.
        Path absolute = image.toAbsolutePath().normalize();
        String id = root != null && absolute.startsWith(root)
                ? root.relativize(absolute).toString().replace(File.separatorChar, '/') : filename;
        return new LabeledSample(id, image, width, height, objects, mark);
    }

    /**
     * The image search order: the options' image directory alone if given; else, beside the
     * directory holding the XML files, {@code JPEGImages/}, then {@code images/}, then that
     * directory itself. The first existing file wins. When none exists the sample points at the
     * path in {@code JPEGImages/} or {@code images/}, whichever directory exists first, else in
     * {@code JPEGImages/} for an {@code Annotations/} directory and beside the XML otherwise; reading
     * the image fails then, naming that path.
     */
    static Path image(String filename, Path xmlDirectory, DatasetOptions options, Where where) {
        if (options.imageDirectory().isPresent()) {
            Path dir = options.imageDirectory().get();
            return Checks.resolve(dir, dir, filename, where, options);
        }
        Path base = xmlDirectory.toAbsolutePath().normalize();
        // The data folder: the one holding Annotations/ (or the XML files) and the image folders.
        Path parent = base.getParent() == null ? base : base.getParent();
        List<Path> candidates = List.of(Checks.resolve(parent, parent.resolve("JPEGImages"), filename, where, options),
                Checks.resolve(parent, parent.resolve("images"), filename, where, options),
                Checks.resolve(parent, base, filename, where, options));
        for (Path c : candidates) {
            if (Files.isRegularFile(c)) {
                return c;
            }
        }
        for (Path c : candidates.subList(0, 2)) {
            if (Files.isDirectory(c.getParent())) {
                return c;
            }
        }
        return base.getFileName() != null && base.getFileName().toString().equals("Annotations")
                ? candidates.get(0) : candidates.get(2);
    }

    private static Box corners(Element parent, int width, int height, Where where) {
        double xmin = coordinate(parent, "xmin", where);
        double ymin = coordinate(parent, "ymin", where);
        double xmax = coordinate(parent, "xmax", where);
        double ymax = coordinate(parent, "ymax", where);
        String shown = "xmin " + Checks.num(xmin) + ", ymin " + Checks.num(ymin) + ", xmax " + Checks.num(xmax)
                + ", ymax " + Checks.num(ymax) + " (1-based, inclusive)";
        if (xmax < xmin || ymax < ymin) {
            throw where.fail("xmin <= xmax and ymin <= ymax (1-based inclusive pixel corners)", shown,
                    "Fix the box; the corners may be swapped");
        }
        // Box.voc, with the fit check (a VOC box covers columns xmin-1 .. xmax in COCO terms).
        return Checks.box(xmin - 1, ymin - 1, xmax - xmin + 1, ymax - ymin + 1, width, height, where, shown);
    }

    private static double coordinate(Element parent, String name, Where where) {
        Where w = where.child(name);
        String s = text(required(parent, name, where), w);
        try {
            double v = Double.parseDouble(s);
            if (!Double.isFinite(v)) {
                throw w.fail("a finite number", "'" + s + "'", "Fix the coordinate");
            }
            return v;
        } catch (NumberFormatException e) {
            throw w.fail("a number", "'" + s + "'", "Fix the coordinate", e);
        }
    }

    private static int size(Element size, String name, Where where) {
        Where w = where.child(name);
        String s = text(required(size, name, where), w);
        try {
            // Some tools write "500.0".
            double v = Double.parseDouble(s);
            if (v != Math.rint(v) || v < 1 || v > JsonFields.ABSURD) {
                throw w.fail("a whole number of pixels from 1 to " + (long) JsonFields.ABSURD, "'" + s + "'",
                        "Fix the image size");
            }
            return (int) v;
        } catch (NumberFormatException e) {
            throw w.fail("a whole number of pixels", "'" + s + "'", "Fix the image size", e);
        }
    }

    private static String text(Element e, Where where) {
        String s = e.getTextContent().trim();
        if (s.isEmpty()) {
            throw where.fail("a value", "an empty element", "Fill in the value");
        }
        return s;
    }

    private static Element required(Element parent, String name, Where where) {
        Element e = child(parent, name);
        if (e == null) {
            throw where.child(name).fail("an element <" + name + ">", "none in <" + parent.getTagName() + ">",
                    "Add it; it is required");
        }
        return e;
    }

    /** The first direct child of that name: nested {@code <part>} elements have their own names. */
    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }
}

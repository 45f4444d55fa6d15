package io.camunit.region;

import io.camunit.CamunitException;

import io.camunit.model.ImageFile;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Image sizes read from file headers without decoding pixels, for formats whose annotations do not
 * record the size (YOLO, manifests without width/height).
 */
final class ImageHeader {

    private ImageHeader() {}

    /**
     * @param image the image file
     * @param why what needs the size, for the message (e.g. {@code "labels/0001.txt"})
     * @return {width, height}
     */
    static int[] size(Path image, String why) {
        if (!Files.isRegularFile(image)) {
            throw new CamunitException("Image file " + image + " does not exist or is not a file; " + why
                    + " needs its size, which only the image records. Put the image there or fix the path.");
        }
        // Only the header is parsed; a size of zero or above the pixel limit is refused here.
        ImageFile.Header header = ImageFile.header(image, "Image " + image + " (" + why + ")");
        return new int[] {header.width(), header.height()};
    }
}

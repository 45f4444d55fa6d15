package io.camunit.model;

import io.camunit.CamunitException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A width and a height in pixels, and camunit's one way of writing them: {@code WIDTHxHEIGHT},
 * width first as image sizes are described ({@code 224x160} is 224 wide and 160 high). The command
 * line ({@code --size}), {@code @UseModel(size = ...)}, {@code camunit_export.py --size} and every
 * message write and read sizes this way; PyTorch's tensor order (HEIGHT, WIDTH) is the other
 * spelling, and is refused with a message that says which is which. {@code camunit.json} names the
 * two numbers ({@code "width"}, {@code "height"}), so it cannot be misread.
 *
 * <pre>{@code
 * ImageSize s = ImageSize.parse("224x160", "Option --size");
 * s.width();                          // 224
 * s.toString();                       // "224x160"
 * ImageSize.parse("(160, 224)", "Option --size");   // refused: looks like a PyTorch (H, W) shape
 * }</pre>
 *
 * @param width the width in pixels, at least 1
 * @param height the height in pixels, at least 1
 */
public record ImageSize(int width, int height) {

    /** How a size is written, for messages and help texts. */
    public static final String FORM = "WIDTHxHEIGHT";

    private static final Pattern SIZE = Pattern.compile("(\\d+)[xX](\\d+)");
    private static final Pattern TWO_NUMBERS = Pattern.compile("[(\\[]?\\s*(\\d+)\\s*[,;*\\s×]\\s*(\\d+)\\s*[)\\]]?");
    private static final Pattern ONE_NUMBER = Pattern.compile("\\d+");

    /** Refuses sizes below 1 x 1. */
    public ImageSize {
        if (width < 1 || height < 1) {
            throw new CamunitException("A size must be at least 1x1 pixels (" + FORM + "); got " + format(width, height)
                    + ".");
        }
    }

    /**
     * @param width the width in pixels
     * @param height the height in pixels
     * @return them as camunit writes a size, e.g. {@code 224x160}, whatever the numbers (for messages
     *     about sizes that are wrong)
     */
    public static String format(long width, long height) {
        return width + "x" + height;
    }

    /**
     * Reads a size written {@code WIDTHxHEIGHT}: the one function every surface parses sizes with.
     *
     * @param text the size as written, e.g. {@code 224x160}
     * @param what what holds it, for messages, e.g. {@code Option --size} or {@code @UseModel size}
     * @return the size
     * @throws CamunitException naming {@code what}, the form expected and what was found; a pair of
     *     numbers in another form (e.g. PyTorch's {@code (160, 224)}) is refused saying that camunit
     *     writes the width first
     */
    public static ImageSize parse(String text, String what) {
        String t = text == null ? "" : text.trim();
        String expected = what + " must be " + FORM + " in pixels, e.g. 224x160 for an image 224 wide and 160 high";
        Matcher m = SIZE.matcher(t);
        if (m.matches()) {
            // Nine digits always fit an int; more is no image size.
            if (m.group(1).length() > 9 || m.group(2).length() > 9 || Integer.parseInt(m.group(1)) < 1
                    || Integer.parseInt(m.group(2)) < 1) {
                throw new CamunitException(expected + "; got '" + text + "'. Both numbers must be from 1 to 999999999.");
            }
            return new ImageSize(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }
        Matcher pair = TWO_NUMBERS.matcher(t);
        if (pair.matches()) {
            throw new CamunitException(expected + "; got '" + text + "', which reads like a tensor shape (HEIGHT, WIDTH)"
                    + " as PyTorch writes it. camunit writes sizes width first, as images are described: if you mean"
                    + " " + pair.group(2) + " wide and " + pair.group(1) + " high, write " + pair.group(2) + "x"
                    + pair.group(1) + ".");
        }
        if (ONE_NUMBER.matcher(t).matches()) {
            throw new CamunitException(expected + "; got '" + text + "', a single number. Write both, e.g. " + t + "x"
                    + t + " for a square input.");
        }
        throw new CamunitException(expected + "; got '" + text + "'.");
    }

    /** @return the size as camunit writes it, e.g. {@code 224x160} */
    @Override
    public String toString() {
        return format(width, height);
    }
}

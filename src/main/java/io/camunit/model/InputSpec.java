package io.camunit.model;

import io.camunit.CamunitException;

import java.util.List;

/**
 * What a model expects of an image: its size and the per-channel normalisation
 * {@code (pixel / 255 - mean) / std} applied after resizing.
 *
 * <pre>{@code
 * InputSpec imagenet = InputSpec.of(224, 224)
 *         .withNormalisation(List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224, 0.225));
 * }</pre>
 *
 * @param width the input width in pixels, or 0 to take each image at its own size
 * @param height the input height in pixels, or 0 to take each image at its own size
 * @param mean the three channel means (R, G, B) on the [0, 1] scale
 * @param std the three channel standard deviations (R, G, B), all positive
 */
public record InputSpec(int width, int height, List<Double> mean, List<Double> std) {

    /** Validates the fields and makes the lists unmodifiable. */
    public InputSpec {
        if (width < 0 || height < 0 || (width == 0) != (height == 0)) {
            throw new CamunitException(
                    "Input size must be two positive numbers (or 0 x 0 to keep each image's size); got "
                            + ImageSize.format(width, height));
        }
        mean = List.copyOf(mean);
        std = List.copyOf(std);
        if (mean.size() != 3 || std.size() != 3) {
            throw new CamunitException(
                    "Input normalisation needs 3 means and 3 standard deviations (R, G, B); got "
                            + mean.size() + " means " + mean + " and " + std.size() + " deviations " + std);
        }
        for (double s : std) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw new CamunitException(
                        "Input standard deviations must be positive and finite; got " + std);
            }
        }
    }

    /**
     * @param width the input width in pixels
     * @param height the input height in pixels
     * @return a spec of that size with no normalisation (mean 0, std 1)
     */
    public static InputSpec of(int width, int height) {
        return new InputSpec(width, height, List.of(0.0, 0.0, 0.0), List.of(1.0, 1.0, 1.0));
    }

    /** @return a spec that keeps each image's size and does not normalise */
    public static InputSpec imageSize() {
        return of(0, 0);
    }

    /**
     * @param newMean the channel means on the [0, 1] scale
     * @param newStd the channel standard deviations
     * @return this spec with another normalisation
     */
    public InputSpec withNormalisation(List<Double> newMean, List<Double> newStd) {
        return new InputSpec(width, height, newMean, newStd);
    }

    /**
     * @param newWidth the input width
     * @param newHeight the input height
     * @return this spec with another size
     */
    public InputSpec withSize(int newWidth, int newHeight) {
        return new InputSpec(newWidth, newHeight, mean, std);
    }

    /** @return true when the model has a fixed input size */
    public boolean hasSize() {
        return width > 0;
    }
}

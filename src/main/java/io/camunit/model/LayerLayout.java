package io.camunit.model;

import io.camunit.CamunitException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a layer's output was laid out before the exporter presented it as {@code N x C x h x w} at
 * the cut, as recorded in a CAM-ready file's {@code camunit.json} ({@code "layouts"}). Element 0 of
 * {@code features} is {@code N x C x h x w} for every layout; the layout says what the model
 * itself computes there:
 *
 * <ul>
 *   <li>{@code nchw}: a convolutional feature map, taken as it is (every layer of a file without
 *       {@code layouts});
 *   <li>{@code nhwc}: a channels-last map {@code N x h x w x C} (torchvision Swin's stages);
 *   <li>{@code tokens:P:WxH}: transformer tokens {@code N x L x C}, {@code P} prefix tokens (class,
 *       distillation, register tokens) then a grid {@code W} tokens wide and {@code H} high, row by
 *       row (written {@code WIDTHxHEIGHT} like every size in camunit); element 0 is the grid, the
 *       prefix tokens cross the cut as element 1 and get no map.
 * </ul>
 *
 * <pre>{@code
 * LayerLayout vit = LayerLayout.parse("tokens:1:14x14");
 * vit.prefixTokens();   // 1
 * vit.describe();       // "1 prefix token (carried across the cut, no map), then a grid of 14x14 tokens"
 * }</pre>
 *
 * @param kind what the model computes at the layer
 * @param prefixTokens tokens before the grid; 0 unless {@code kind} is {@link Kind#TOKENS}
 * @param gridHeight the grid's rows; 0 unless tokens
 * @param gridWidth the grid's columns; 0 unless tokens
 */
public record LayerLayout(Kind kind, int prefixTokens, int gridHeight, int gridWidth) {

    /** A convolutional layer's layout, and that of every layer a file names no layout for. */
    public static final LayerLayout NCHW = new LayerLayout(Kind.NCHW, 0, 0, 0);
    /** A channels-last layer's layout. */
    public static final LayerLayout NHWC = new LayerLayout(Kind.NHWC, 0, 0, 0);

    private static final Pattern TOKENS = Pattern.compile("tokens:(\\d{1,6}):(\\d{1,5})x(\\d{1,5})");

    /** What a model computes at a layer. */
    public enum Kind {
        /** {@code N x C x h x w}. */
        NCHW,
        /** {@code N x h x w x C}. */
        NHWC,
        /** {@code N x (P + H * W) x C}. */
        TOKENS
    }

    /** Checks that only token layouts have prefix tokens and a grid, and that grids are not empty. */
    public LayerLayout {
        boolean tokens = kind == Kind.TOKENS;
        if (tokens ? prefixTokens < 0 || gridHeight < 1 || gridWidth < 1
                : prefixTokens != 0 || gridHeight != 0 || gridWidth != 0) {
            throw new IllegalArgumentException("not a layout: " + kind + " with " + prefixTokens
                    + " prefix tokens and a " + ImageSize.format(gridWidth, gridHeight) + " grid");
        }
    }

    /**
     * @param prefixTokens tokens before the grid
     * @param gridHeight the grid's rows
     * @param gridWidth the grid's columns
     * @return a token layout
     */
    public static LayerLayout tokens(int prefixTokens, int gridHeight, int gridWidth) {
        return new LayerLayout(Kind.TOKENS, prefixTokens, gridHeight, gridWidth);
    }

    /**
     * Reads a layout as the exporter writes it: {@code nchw}, {@code nhwc} or {@code tokens:P:WxH}.
     *
     * @param text the layout
     * @return the layout
     * @throws IllegalArgumentException when the text is none of these
     */
    public static LayerLayout parse(String text) {
        if ("nchw".equals(text)) {
            return NCHW;
        }
        if ("nhwc".equals(text)) {
            return NHWC;
        }
        Matcher m = TOKENS.matcher(text == null ? "" : text);
        if (m.matches() && Integer.parseInt(m.group(2)) > 0 && Integer.parseInt(m.group(3)) > 0) {
            // WIDTHxHEIGHT in the text, rows before columns in the record (PyTorch's order).
            return tokens(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(2)));
        }
        throw new IllegalArgumentException("'nchw', 'nhwc' or 'tokens:P:WxH' (P prefix tokens, then a grid W tokens wide and H"
                + " high, at least 1x1)");
    }

    /**
     * Reads the layout of one layer from a file's metadata.
     *
     * @param text the layout
     * @param source the model file, for the message
     * @param layer the layer, for the message
     * @return the layout
     * @throws CamunitException naming the file, the layer and the layouts there are
     */
    static LayerLayout parse(String text, String source, String layer) {
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new CamunitException("Model " + source + ": " + CamReadyMetadata.FILE_NAME + " field 'layouts' gives"
                    + " layer '" + layer + "' the layout '" + text + "'; a layout must be " + e.getMessage()
                    + ". Re-export the model with camunit_export.py or fix the metadata.");
        }
    }

    /** @return true for a layout whose element 0 is the model's own output at the layer */
    public boolean isNchw() {
        return kind == Kind.NCHW;
    }

    /** @return what the layout means, for people, e.g. "channels first (N x C x h x w)" */
    public String describe() {
        return switch (kind) {
            case NCHW -> "channels first (N x C x h x w)";
            case NHWC -> "channels last (N x h x w x C), permuted to channels first at the cut";
            case TOKENS -> (prefixTokens == 0 ? "no prefix token" : prefixTokens + " prefix token"
                    + (prefixTokens == 1 ? "" : "s") + " (carried across the cut, no map)")
                    + ", then a grid of " + ImageSize.format(gridWidth, gridHeight) + " tokens";
        };
    }

    /** @return the layout as the exporter writes it: {@code nchw}, {@code nhwc}, {@code tokens:1:14x14} (WIDTHxHEIGHT) */
    @Override
    public String toString() {
        return switch (kind) {
            case NCHW -> "nchw";
            case NHWC -> "nhwc";
            case TOKENS -> "tokens:" + prefixTokens + ":" + ImageSize.format(gridWidth, gridHeight);
        };
    }
}

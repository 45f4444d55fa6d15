package io.camunit.explain;

import io.camunit.model.BlockModel;
import io.camunit.model.InputImage;
import io.camunit.model.InputSpec;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Random;

/**
 * DJL block models with hand-set weights whose input-space maps can be worked out on paper. Their
 * input normalisation (mean 0.5, std 0.5) maps pixel value 255 to exactly 1 and 0 to exactly -1.
 */
final class HandBuiltModels {

    static final InputSpec PLUS_MINUS_ONE = InputSpec.of(1, 1).withNormalisation(List.of(0.5, 0.5, 0.5),
            List.of(0.5, 0.5, 0.5));

    /** The hot square of {@link #hotSquare()}: rows and columns {@code [start, start + 4)}. */
    static final int SQUARE_TOP = 4;
    static final int SQUARE_LEFT = 8;
    static final int SQUARE_SIDE = 4;
    static final int HOT_SIZE = 16;

    private HandBuiltModels() {}

    static InputSpec spec(int width, int height) {
        return PLUS_MINUS_ONE.withSize(width, height);
    }

    /**
     * Flatten and a linear layer with seeded random weights: {@code S_c(x) = W[c] . x + b[c]}.
     *
     * @return the model; {@link #weights} reads the weights back
     */
    static BlockModel linear(int width, int height, int classes, long seed) {
        Linear linear = Linear.builder().setUnits(classes).build();
        BlockModel model = BlockModel.builder().setBlock(new SequentialBlock().add(Blocks.batchFlattenBlock()).add(linear))
                .setInput(spec(width, height)).optName("linear").build();
        Random random = new Random(seed);
        float[] w = new float[classes * 3 * width * height];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        float[] b = new float[classes];
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) random.nextGaussian();
        }
        set(linear, w, b);
        return model;
    }

    /** @return the {@code K x 3HW} weights of {@link #linear}'s linear layer, row-major */
    static float[] weights(BlockModel model) {
        Block linear = model.block().getChildren().get(1).getValue();
        return linear.getParameters().get("weight").getArray().toFloatArray();
    }

    /**
     * A 16 x 16 model with two outputs: class 0 is always 0, class 1 is the mean of the input
     * tensor over the three channels of the square rows 4..7, columns 8..11.
     */
    static BlockModel hotSquare() {
        Linear linear = Linear.builder().setUnits(2).build();
        BlockModel model = BlockModel.builder().setBlock(new SequentialBlock().add(Blocks.batchFlattenBlock()).add(linear))
                .setInput(spec(HOT_SIZE, HOT_SIZE)).optName("hot-square").build();
        int pixels = HOT_SIZE * HOT_SIZE;
        float[] w = new float[2 * 3 * pixels];
        for (int c = 0; c < 3; c++) {
            for (int y = SQUARE_TOP; y < SQUARE_TOP + SQUARE_SIDE; y++) {
                for (int x = SQUARE_LEFT; x < SQUARE_LEFT + SQUARE_SIDE; x++) {
                    w[3 * pixels + c * pixels + y * HOT_SIZE + x] = 1f / (3 * SQUARE_SIDE * SQUARE_SIDE);
                }
            }
        }
        set(linear, w, new float[2]);
        return model;
    }

    static boolean inHotSquare(int x, int y) {
        return y >= SQUARE_TOP && y < SQUARE_TOP + SQUARE_SIDE && x >= SQUARE_LEFT && x < SQUARE_LEFT + SQUARE_SIDE;
    }

    /**
     * A 2 x 2 network with a path of negative gradient: a 1 x 1 convolution copies the red and the
     * green channel into two channels {@code h = (r, g)}, a ReLU, a 1 x 1 convolution
     * {@code z = 2 relu(r) - 3 relu(g)}, global average pooling. So {@code S = mean_p z} and, where
     * both channels are positive, {@code dS/dr = 2/4}, {@code dS/dg = -3/4}.
     */
    static BlockModel negativePath() {
        Conv2d copy = Conv2d.builder().setFilters(2).setKernelShape(new Shape(1, 1)).optBias(false).build();
        Conv2d mix = Conv2d.builder().setFilters(1).setKernelShape(new Shape(1, 1)).optBias(false).build();
        SequentialBlock net = new SequentialBlock()
                .add(new SequentialBlock().add(copy).add(Activation.reluBlock()))
                .add(mix)
                .add(Pool.globalAvgPool2dBlock());
        BlockModel model = BlockModel.builder().setBlock(net).setInput(spec(2, 2)).optName("negative-path").build();
        copy.getParameters().get("weight").getArray().set(FloatBuffer.wrap(new float[] {1, 0, 0, 0, 1, 0}));
        mix.getParameters().get("weight").getArray().set(FloatBuffer.wrap(new float[] {2, -3}));
        return model;
    }

    /**
     * A segmentation model with seeded random weights: a 1 x 1 convolution from the 3 input channels
     * to 4 and a ReLU (the layer, {@code 01SequentialBlock}), then a 1 x 1 convolution to
     * {@code classes} logits per pixel. Its output is {@code N x classes x height x width}. Every
     * pixel is computed from that pixel alone, so maps can be worked out per pixel.
     *
     * @return the model; {@link #convWeights} reads each convolution's weights and bias back
     */
    static BlockModel segmenter(int width, int height, int classes, long seed) {
        return segmenter(width, height, classes, seed, List.of());
    }

    /** {@link #segmenter(int, int, int, long)} with class names. */
    static BlockModel segmenter(int width, int height, int classes, long seed, List<String> names) {
        Conv2d hidden = Conv2d.builder().setFilters(4).setKernelShape(new Shape(1, 1)).build();
        Conv2d logits = Conv2d.builder().setFilters(classes).setKernelShape(new Shape(1, 1)).build();
        SequentialBlock net = new SequentialBlock()
                .add(new SequentialBlock().add(hidden).add(Activation.reluBlock()))
                .add(logits);
        BlockModel model = BlockModel.builder().setBlock(net).setInput(spec(width, height)).optName("segmenter")
                .optClasses(names).build();
        Random random = new Random(seed);
        setConv(hidden, gaussians(random, 4 * 3), gaussians(random, 4));
        setConv(logits, gaussians(random, classes * 4), gaussians(random, classes));
        return model;
    }

    /**
     * @param model a {@link #segmenter}
     * @param which 0 for the hidden convolution, 1 for the logits
     * @return its weights ({@code out x in}, row-major) followed by its bias
     */
    static float[][] convWeights(BlockModel model, int which) {
        SequentialBlock net = (SequentialBlock) model.block();
        Block conv = which == 0 ? net.getChildren().get(0).getValue().getChildren().get(0).getValue()
                : net.getChildren().get(1).getValue();
        return new float[][] {conv.getParameters().get("weight").getArray().toFloatArray(),
                conv.getParameters().get("bias").getArray().toFloatArray()};
    }

    private static float[] gaussians(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static void setConv(Conv2d conv, float[] w, float[] b) {
        conv.getParameters().get("weight").getArray().set(FloatBuffer.wrap(w));
        conv.getParameters().get("bias").getArray().set(FloatBuffer.wrap(b));
    }

    private static void set(Linear linear, float[] w, float[] b) {
        linear.getParameters().get("weight").getArray().set(FloatBuffer.wrap(w));
        linear.getParameters().get("bias").getArray().set(FloatBuffer.wrap(b));
    }

    /** @return an image of the given pixels, {@code rgb[y][x]} as 0xRRGGBB */
    static InputImage image(String id, int[][] rgb) {
        BufferedImage img = new BufferedImage(rgb[0].length, rgb.length, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < rgb.length; y++) {
            for (int x = 0; x < rgb[0].length; x++) {
                img.setRGB(x, y, rgb[y][x]);
            }
        }
        return InputImage.of(id, img);
    }

    /** @return a uniform image */
    static InputImage uniform(int width, int height, int rgb) {
        int[][] pixels = new int[height][width];
        for (int[] row : pixels) {
            java.util.Arrays.fill(row, rgb);
        }
        return image("uniform-" + Integer.toHexString(rgb), pixels);
    }

    /** @return an image of seeded random colours */
    static InputImage noise(int width, int height, long seed) {
        Random random = new Random(seed);
        int[][] pixels = new int[height][width];
        for (int[] row : pixels) {
            for (int x = 0; x < width; x++) {
                row[x] = random.nextInt(1 << 24);
            }
        }
        return image("noise" + seed, pixels);
    }
}

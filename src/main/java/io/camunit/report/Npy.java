package io.camunit.report;

import io.camunit.CamunitException;
import io.camunit.heatmap.Heatmap;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes heatmaps in NumPy's {@code .npy} format (version 1.0): a 2-D little-endian
 * float32 array of shape {@code (height, width)} in C order, so {@code numpy.load} opens what
 * camunit writes.
 *
 * <pre>{@code
 * try (OutputStream out = Files.newOutputStream(dir.resolve("heatmap.npy"))) {
 *     Npy.write(explanation.display(), out);
 * }
 * }</pre>
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|=])([fi])(\\d)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,?\\s*\\)");

    private Npy() {}

    /**
     * Writes a map as a float32 {@code (height, width)} array.
     *
     * @param map the map
     * @param out the stream, not closed
     * @throws IOException when writing fails
     */
    public static void write(Heatmap map, OutputStream out) throws IOException {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + map.height() + ", "
                + map.width() + "), }";
        // Magic, version, header length and header are padded to a multiple of 64 bytes, ending in \n.
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        out.write(MAGIC);
        out.write(new byte[] {1, 0});
        out.write(header.length() & 0xFF);
        out.write((header.length() >> 8) & 0xFF);
        out.write(header.getBytes(StandardCharsets.US_ASCII));
        float[] values = map.toArray();
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        out.write(buffer.array());
    }

    /**
     * Reads a 2-D float32 or float64 array as a map.
     *
     * @param in the stream, read to the end of the array, not closed
     * @param source the file name, for messages
     * @return the map, {@code width} = second axis
     * @throws CamunitException when the content is not a 2-D float array in C order
     */
    public static Heatmap read(InputStream in, String source) {
        try {
            DataInputStream data = new DataInputStream(in);
            byte[] magic = new byte[6];
            data.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw bad(source, "it does not start with the .npy magic bytes");
            }
            int major = data.readUnsignedByte();
            data.readUnsignedByte();
            int headerLength = major == 1
                    ? data.readUnsignedByte() | data.readUnsignedByte() << 8
                    : Integer.reverseBytes(data.readInt());
            if (headerLength < 0 || headerLength > 1 << 16) {
                throw bad(source, "its header length " + headerLength + " is implausible");
            }
            byte[] headerBytes = new byte[headerLength];
            data.readFully(headerBytes);
            String header = new String(headerBytes, StandardCharsets.US_ASCII);
            Matcher descr = DESCR.matcher(header);
            Matcher order = ORDER.matcher(header);
            Matcher shape = SHAPE.matcher(header);
            if (!descr.find() || !order.find() || !shape.find()) {
                throw bad(source, "its header is not that of a 2-D array: " + header.trim());
            }
            if (order.group(1).equals("True")) {
                throw bad(source, "it is in Fortran order; save it with numpy.ascontiguousarray");
            }
            int bytes = Integer.parseInt(descr.group(3));
            if (!descr.group(2).equals("f") || (bytes != 4 && bytes != 8)) {
                throw bad(source, "its type " + descr.group() + " is not float32 or float64");
            }
            int height = Integer.parseInt(shape.group(1));
            int width = Integer.parseInt(shape.group(2));
            long count = (long) height * width;
            if (count <= 0 || count > Integer.MAX_VALUE / 8) {
                throw bad(source, "its shape " + height + " x " + width + " is empty or too large");
            }
            ByteBuffer buffer = ByteBuffer.wrap(data.readNBytes((int) count * bytes))
                    .order(descr.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            if (buffer.remaining() != count * bytes) {
                throw bad(source, "it is truncated: " + buffer.remaining() + " of " + count * bytes
                        + " data bytes present");
            }
            float[] values = new float[(int) count];
            for (int i = 0; i < values.length; i++) {
                values[i] = bytes == 4 ? buffer.getFloat() : (float) buffer.getDouble();
            }
            return Heatmap.of(width, height, values);
        } catch (IOException e) {
            throw new CamunitException("Cannot read " + source + " as .npy: " + e.getMessage(), e);
        }
    }

    /**
     * @param map a map
     * @return its {@code .npy} bytes
     */
    public static byte[] toBytes(Heatmap map) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(map, out);
        } catch (IOException e) {
            throw new IllegalStateException("Writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    private static CamunitException bad(String source, String why) {
        return new CamunitException("Cannot read " + source + " as a 2-D .npy map: " + why + ".");
    }
}

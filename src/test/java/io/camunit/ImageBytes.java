package io.camunit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Hand-built PNG files for tests of bad input: any header (zero or huge sizes, 16-bit samples)
 * with real or junk pixel data, written chunk by chunk as the PNG specification lays them out.
 */
public final class ImageBytes {

    /** PNG colour types (IHDR byte 9). */
    public static final int GREY = 0;
    public static final int RGB = 2;

    private ImageBytes() {}

    /**
     * @param width IHDR width (may be 0 or huge)
     * @param height IHDR height
     * @param bitDepth 8 or 16
     * @param colourType {@link #GREY} or {@link #RGB}
     * @param rows the filtered rows (each: filter byte 0, then the samples, big-endian), or null to
     *     stream {@code height} rows of zeros without holding them in memory
     * @return the file's bytes
     */
    public static byte[] png(int width, int height, int bitDepth, int colourType, byte[] rows) {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(9))) {
            if (rows != null) {
                z.write(rows);
            } else {
                byte[] row = new byte[1 + width * (colourType == RGB ? 3 : 1) * bitDepth / 8];
                for (int y = 0; y < height; y++) {
                    z.write(row);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png(width, height, bitDepth, colourType, idat.toByteArray(), true);
    }

    /**
     * @param idat the IDAT chunk's content as is (e.g. junk that no decoder accepts)
     * @param withEnd whether the IEND chunk follows
     * @return the file's bytes
     */
    public static byte[] png(int width, int height, int bitDepth, int colourType, byte[] idat, boolean withEnd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) bitDepth).put((byte) colourType).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", idat);
        if (withEnd) {
            chunk(out, "IEND", new byte[0]);
        }
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(name);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}

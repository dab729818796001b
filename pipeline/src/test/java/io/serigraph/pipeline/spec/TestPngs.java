package io.serigraph.pipeline.spec;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/** Real PNG files for tests, written with the JDK's ImageIO. */
public final class TestPngs {
    private TestPngs() {}

    /** A valid RGBA PNG of the given size. */
    static byte[] png(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x80ff0000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "png", out)) {
                throw new IllegalStateException("no PNG writer in ImageIO");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes a valid PNG at {@code file}, creating its folders. */
    public static Path writePng(Path file, int width, int height) {
        return write(file, png(width, height));
    }

    /** Writes text at {@code file} (a "PNG" that is not one). */
    static Path writeText(Path file, String text) {
        return write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes the first 20 bytes of a valid PNG: the signature and half an IHDR. */
    static Path writeTruncated(Path file) {
        return write(file, Arrays.copyOf(png(8, 8), 20));
    }

    static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

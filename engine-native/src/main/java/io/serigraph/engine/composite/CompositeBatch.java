package io.serigraph.engine.composite;

import io.serigraph.engine.image.RgbaImage;
import java.util.Arrays;
import java.util.Objects;

/**
 * A batch of tokens to composite with a {@link BatchCompositor}: for each token a straight {@code
 * 0xRRGGBBAA} background and its layers, bottom first, as (resident layer handle, blend mode,
 * opacity). Built in place and reused: {@link #clear()} keeps the arrays, which grow only when a
 * batch is larger than any before, so refilling a batch allocates nothing.
 *
 * <pre>{@code
 * batch.clear();
 * batch.token(background).layer(body, BlendMode.NORMAL, 255).layer(eyes, BlendMode.NORMAL, 255);
 * batch.token(background).layer(body, BlendMode.NORMAL, 255);
 * }</pre>
 *
 * <p>Not thread-safe.
 */
public final class CompositeBatch {
    private static final BlendMode[] MODES = BlendMode.values();

    private int tokens;
    private int[] backgrounds;
    private int[] layerEnds;
    private int layers;
    private int[] handles;
    private byte[] modes;
    private int[] opacities;

    /** An empty batch with room for 16 tokens of 8 layers before it grows. */
    public CompositeBatch() {
        this(16, 128);
    }

    /**
     * An empty batch with room for {@code tokenCapacity} tokens and {@code layerCapacity} layers.
     */
    public CompositeBatch(int tokenCapacity, int layerCapacity) {
        backgrounds = new int[Math.max(1, tokenCapacity)];
        layerEnds = new int[backgrounds.length];
        handles = new int[Math.max(1, layerCapacity)];
        modes = new byte[handles.length];
        opacities = new int[handles.length];
    }

    /** Empties the batch, keeping its capacity. */
    public CompositeBatch clear() {
        tokens = 0;
        layers = 0;
        return this;
    }

    /**
     * Starts the next token, composited over {@code backgroundRgba} (straight {@code 0xRRGGBBAA};
     * alpha 0, e.g. {@link Compositor#TRANSPARENT}, for none). Its layers follow with {@link
     * #layer}.
     */
    public CompositeBatch token(int backgroundRgba) {
        if (tokens == backgrounds.length) {
            int grown = tokens * 2;
            backgrounds = Arrays.copyOf(backgrounds, grown);
            layerEnds = Arrays.copyOf(layerEnds, grown);
        }
        backgrounds[tokens] = backgroundRgba;
        layerEnds[tokens] = layers;
        tokens++;
        return this;
    }

    /**
     * Adds a layer on top of the current token's stack.
     *
     * @param handle a handle from {@link BatchCompositor#upload}
     * @param opacity {@code 0..255}
     * @throws IllegalStateException before the first {@link #token}
     */
    public CompositeBatch layer(int handle, BlendMode mode, int opacity) {
        Objects.requireNonNull(mode, "mode");
        if (tokens == 0) {
            throw new IllegalStateException(
                    "start a token with token(background) before its layers");
        }
        if (handle < 0) {
            throw new IllegalArgumentException("layer handle must be >= 0, was " + handle);
        }
        if (opacity < 0 || opacity > 255) {
            throw new IllegalArgumentException("layer opacity must be in 0..255, was " + opacity);
        }
        if (layers == handles.length) {
            int grown = layers * 2;
            handles = Arrays.copyOf(handles, grown);
            modes = Arrays.copyOf(modes, grown);
            opacities = Arrays.copyOf(opacities, grown);
        }
        handles[layers] = handle;
        modes[layers] = (byte) mode.ordinal();
        opacities[layers] = opacity;
        layers++;
        layerEnds[tokens - 1] = layers;
        return this;
    }

    /** Number of tokens in the batch. */
    public int tokens() {
        return tokens;
    }

    /** Number of layers of all tokens together. */
    public int layers() {
        return layers;
    }

    /** Token {@code t}'s straight {@code 0xRRGGBBAA} background. */
    public int background(int t) {
        return backgrounds[Objects.checkIndex(t, tokens)];
    }

    /** Index of token {@code t}'s bottom layer in {@link #handle(int)} and friends. */
    public int firstLayer(int t) {
        return Objects.checkIndex(t, tokens) == 0 ? 0 : layerEnds[t - 1];
    }

    /** One past the index of token {@code t}'s top layer. */
    public int endLayer(int t) {
        return layerEnds[Objects.checkIndex(t, tokens)];
    }

    /** Resident layer handle of layer {@code i} (counted over the whole batch). */
    public int handle(int i) {
        return handles[Objects.checkIndex(i, layers)];
    }

    /** Blend mode of layer {@code i}. */
    public BlendMode mode(int i) {
        return MODES[modes[Objects.checkIndex(i, layers)]];
    }

    /** Opacity {@code 0..255} of layer {@code i}. */
    public int opacity(int i) {
        return opacities[Objects.checkIndex(i, layers)];
    }

    /**
     * Checks this batch against a compositor's resident layers and the outputs it is to fill: every
     * handle below {@code layerCount}, and {@code outs[0..tokens() - 1]} present, distinct and
     * {@code width x height} and premultiplied. Both compositors call this before doing any work.
     *
     * @throws IllegalArgumentException naming the first token, layer or output at fault
     */
    public void check(int layerCount, int width, int height, RgbaImage[] outs) {
        Objects.requireNonNull(outs, "outs");
        for (int i = 0; i < layers; i++) {
            if (handles[i] >= layerCount) {
                throw new IllegalArgumentException(
                        "layer handle "
                                + handles[i]
                                + " was never uploaded ("
                                + layerCount
                                + " layers are resident)");
            }
        }
        if (outs.length < tokens) {
            throw new IllegalArgumentException(
                    "the batch has " + tokens + " tokens but only " + outs.length + " outputs");
        }
        for (int t = 0; t < tokens; t++) {
            RgbaImage out = outs[t];
            if (out == null) {
                throw new IllegalArgumentException("output " + t + " is null");
            }
            if (out.width() != width || out.height() != height) {
                throw new IllegalArgumentException(
                        "output "
                                + t
                                + " is "
                                + out.width()
                                + "x"
                                + out.height()
                                + " but the canvas is "
                                + width
                                + "x"
                                + height);
            }
            if (!out.isPremultiplied()) {
                throw new IllegalArgumentException(
                        "output "
                                + t
                                + " is "
                                + out.alphaMode()
                                + "; the compositor writes premultiplied images");
            }
            for (int u = 0; u < t; u++) {
                if (outs[u].pixels() == out.pixels()) {
                    throw new IllegalArgumentException(
                            "outputs " + u + " and " + t + " share one pixel array");
                }
            }
        }
    }
}

package io.serigraph.engine.composite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serigraph.engine.image.AlphaMode;
import io.serigraph.engine.image.RgbaImage;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JavaBatchCompositorTest {
    @Test
    void aBatchGivesWhatEachTokenGivesAloneAndReusesItsOps() {
        Random random = new Random(5);
        RgbaImage body = JavaCompositorProperties.randomImage(random, 9, 7, AlphaMode.STRAIGHT);
        RgbaImage shade = JavaCompositorProperties.randomImage(random, 9, 7);
        try (JavaBatchCompositor compositor = new JavaBatchCompositor(9, 7)) {
            int b = compositor.upload(body);
            int s = compositor.upload(shade);
            assertThat(compositor.layerCount()).isEqualTo(2);
            CompositeBatch batch = new CompositeBatch(1, 1);
            RgbaImage[] outs = {new RgbaImage(9, 7), new RgbaImage(9, 7), new RgbaImage(9, 7)};
            for (int round = 0; round < 2; round++) {
                batch.clear()
                        .token(0xF4EEDDFF)
                        .layer(b, BlendMode.NORMAL, 255)
                        .layer(s, BlendMode.MULTIPLY, 180)
                        .token(Compositor.TRANSPARENT)
                        .token(0x11223380)
                        .layer(s, BlendMode.OVERLAY, 255);
                compositor.composite(batch, outs);
                JavaCompositor alone = new JavaCompositor();
                RgbaImage expected = new RgbaImage(9, 7);
                alone.composite(
                        List.of(
                                LayerOp.of(body, BlendMode.NORMAL),
                                new LayerOp(shade, BlendMode.MULTIPLY, 180)),
                        0xF4EEDDFF,
                        expected);
                assertThat(outs[0].pixels()).isEqualTo(expected.pixels());
                assertThat(outs[1].pixels()).containsOnly(0);
                alone.composite(
                        List.of(LayerOp.of(shade, BlendMode.OVERLAY)), 0x11223380, expected);
                assertThat(outs[2].pixels()).isEqualTo(expected.pixels());
            }
        }
    }

    @Test
    void rowRunsMadeElsewhereCompositeTheSameAndMustMatchTheLayer() {
        Random random = new Random(8);
        RgbaImage body = JavaCompositorProperties.randomImage(random, 9, 7, AlphaMode.STRAIGHT);
        RgbaImage shade = JavaCompositorProperties.randomImage(random, 9, 7);
        RowRuns shared = RowRuns.of(shade);
        RgbaImage[] own = {new RgbaImage(9, 7)};
        RgbaImage[] given = {new RgbaImage(9, 7)};
        try (JavaBatchCompositor a = new JavaBatchCompositor(9, 7);
                JavaBatchCompositor b = new JavaBatchCompositor(9, 7)) {
            CompositeBatch batch =
                    new CompositeBatch(1, 2)
                            .token(0xF4EEDDFF)
                            .layer(a.upload(body), BlendMode.NORMAL, 255)
                            .layer(a.upload(shade), BlendMode.SCREEN, 200);
            a.composite(batch, own);
            assertThat(b.upload(body, RowRuns.of(body))).isZero();
            assertThat(b.upload(shade, shared)).isOne();
            b.composite(batch, given);
            assertThat(given[0].pixels()).isEqualTo(own[0].pixels());
            RowRuns other = RowRuns.of(new RgbaImage(7, 9));
            assertThatThrownBy(() -> b.upload(shade, other))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("row runs of a 7x9 image for a 9x7 layer");
        }
    }

    @Test
    void batchesAreBuiltAndCheckedInPlace() {
        CompositeBatch batch = new CompositeBatch(1, 1);
        assertThatThrownBy(() -> batch.layer(0, BlendMode.NORMAL, 255))
                .isInstanceOf(IllegalStateException.class);
        batch.token(1).layer(3, BlendMode.ADD, 7).layer(1, BlendMode.SCREEN, 0).token(2).token(3);
        batch.layer(2, BlendMode.NORMAL, 255);
        assertThat(batch.tokens()).isEqualTo(3);
        assertThat(batch.layers()).isEqualTo(3);
        assertThat(batch.firstLayer(1)).isEqualTo(2);
        assertThat(batch.endLayer(1)).isEqualTo(2);
        assertThat(batch.firstLayer(2)).isEqualTo(2);
        assertThat(batch.endLayer(2)).isEqualTo(3);
        assertThat(batch.handle(0)).isEqualTo(3);
        assertThat(batch.mode(1)).isEqualTo(BlendMode.SCREEN);
        assertThat(batch.opacity(0)).isEqualTo(7);
        assertThat(batch.background(2)).isEqualTo(3);
        assertThatThrownBy(() -> batch.layer(-1, BlendMode.NORMAL, 255))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> batch.layer(0, BlendMode.NORMAL, 256))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> batch.check(4, 2, 2, new RgbaImage[2]))
                .hasMessageContaining("3 tokens but only 2 outputs");
        assertThatThrownBy(() -> batch.check(3, 2, 2, new RgbaImage[3]))
                .hasMessageContaining("handle 3 was never uploaded");
        assertThat(batch.clear().tokens()).isZero();
        assertThat(batch.layers()).isZero();
    }

    @Test
    void anOutputThatIsAResidentLayerIsRefused() {
        RgbaImage layer = new RgbaImage(2, 2);
        try (JavaBatchCompositor compositor = new JavaBatchCompositor(2, 2)) {
            int h = compositor.upload(layer);
            CompositeBatch batch = new CompositeBatch().token(0).layer(h, BlendMode.NORMAL, 255);
            assertThatThrownBy(() -> compositor.composite(batch, new RgbaImage[] {layer}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("shares its pixels");
        }
    }
}

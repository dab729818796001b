package io.serigraph.engine.png;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file of the corrupt corpus ({@code png/corrupt/README.md}) is refused with a {@link
 * PngFormatException} whose message names the defect, and with no other exception.
 */
class PngCorruptCorpusTest {
    private static final String DIR = "/png/corrupt/";

    static Stream<Arguments> corpus() {
        return PngTestFiles.lines(DIR + "manifest.tsv").stream()
                .map(line -> line.split("\t"))
                .map(f -> Arguments.of(f[0], f[1], f[2]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void isRefusedWithAClearMessage(String file, String budget, String phrase) {
        long maxPixels =
                switch (budget) {
                    case "default" -> PngDecoder.DEFAULT_MAX_PIXELS;
                    case "max" -> Long.MAX_VALUE;
                    default -> Long.parseLong(budget);
                };
        byte[] data = PngTestFiles.resource(DIR + file);
        assertThatThrownBy(() -> new PngDecoder(maxPixels).decode(data))
                .isExactlyInstanceOf(PngFormatException.class)
                .hasMessageContaining(phrase);
    }

    @Test
    void theManifestListsEveryFileAndTheCorpusIsLarge() throws URISyntaxException {
        List<String> listed = corpus().map(a -> (String) a.get()[0]).toList();
        File dir = new File(PngCorruptCorpusTest.class.getResource(DIR).toURI());
        String[] present = dir.list((d, name) -> name.endsWith(".png"));
        assertThat(present).isNotNull();
        assertThat(listed).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(30);
        assertThat(listed).containsExactlyInAnyOrderElementsOf(Arrays.asList(present));
    }

    @Test
    void oversizedFilesAreRefusedByReadInfoAlone() {
        byte[] huge = PngTestFiles.resource(DIR + "huge-100000x100000.png");
        assertThatThrownBy(() -> new PngDecoder().readInfo(huge))
                .isExactlyInstanceOf(PngFormatException.class)
                .hasMessageContaining("100000x100000 is over the pixel budget");
        assertThatThrownBy(() -> new PngDecoder(Long.MAX_VALUE).readInfo(huge))
                .isExactlyInstanceOf(PngFormatException.class)
                .hasMessageContaining("does not fit in one RGBA image");
    }
}

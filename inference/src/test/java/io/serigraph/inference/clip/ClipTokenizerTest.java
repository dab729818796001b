package io.serigraph.inference.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.serigraph.inference.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipTokenizerTest {
    private static JsonNode reference;
    private static ClipTokenizer tokenizer;

    @BeforeAll
    static void load() throws IOException {
        reference = Fixtures.json("tokens.json");
        tokenizer =
                ClipTokenizer.load(
                        Fixtures.MODELS.resolve("clip-tiny-text/1/bpe_simple_vocab.txt.gz"),
                        reference.get("merges").asInt(),
                        ClipTokenizer.CONTEXT_LENGTH);
    }

    /** Ids equal those of scripts/clip_tokenizer.py (CLIP's tokenizer) for every prompt. */
    @Test
    void matchesPythonReference() {
        assertThat(reference.get("prompts").size()).isGreaterThan(10);
        for (JsonNode p : reference.get("prompts")) {
            String text = p.get("text").asText();
            long[] encode = Fixtures.longs(p.get("encode"));
            int[] actual = tokenizer.encode(text);
            assertThat(Arrays.stream(actual).asLongStream().toArray())
                    .as("encode(%s)", text)
                    .containsExactly(encode);
            assertThat(tokenizer.tokenize(text))
                    .as("tokenize(%s)", text)
                    .containsExactly(Fixtures.longs(p.get("tokenize")));
        }
    }

    @Test
    void wrapsPadsAndTruncates() {
        long[] ids = tokenizer.tokenize("an image of a cat");
        assertThat(ids).hasSize(77);
        assertThat(ids[0]).isEqualTo(tokenizer.startToken());
        int n = tokenizer.encode("an image of a cat").length;
        assertThat(ids[n + 1]).isEqualTo(tokenizer.endToken());
        assertThat(ids[n + 2]).isZero();
        long[] longIds = tokenizer.tokenize("cat ".repeat(200));
        assertThat(longIds[76]).isEqualTo(tokenizer.endToken());
        assertThat(tokenizer.vocabularySize()).isEqualTo(512 + reference.get("merges").asInt() + 2);
    }

    @Test
    void decodesWhatItEncodes() {
        assertThat(tokenizer.decode(tokenizer.encode("An image of a Cat, déjà vu 東京")))
                .isEqualTo("an image of a cat , déjà vu 東京 ");
    }

    @Test
    void cleansLikeClip() {
        assertThat(ClipTokenizer.clean("  A&amp;amp;B\u00a0\u3000c&#x41;\u001c "))
                .isEqualTo("a&b ca");
        assertThat(HtmlUnescape.unescape("&notit; &copy &#0; &#128; &#xD800; &bogus;"))
                .isEqualTo("¬it; © \uFFFD € \uFFFD &bogus;");
    }

    @Test
    void rejectsShortOrMalformedVocabularies(@TempDir Path dir) throws IOException {
        Path short1 = Files.writeString(dir.resolve("v.txt"), "#version: 0.2\na b\n");
        assertThatThrownBy(() -> ClipTokenizer.load(short1, 5, 77))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("5 are needed");
        Path bad = Files.writeString(dir.resolve("w.txt"), "#version: 0.2\na b c\n");
        assertThatThrownBy(() -> ClipTokenizer.load(bad, 1, 77)).hasMessageContaining("line 2");
    }
}

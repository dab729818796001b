package io.serigraph.pipeline.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.text.Normalizer;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class HashLipsNameProperties {

    /** Trait names as artists write them: letters of any script, digits, spaces, dots, #, emoji. */
    @Provide
    Arbitrary<String> traits() {
        return Arbitraries.strings()
                .withChars(" -_.#()'&+,")
                .withCharRange('a', 'z')
                .withCharRange('A', 'Z')
                .withCharRange('0', '9')
                .withCharRange('\u00C0', '\u024F')
                .withCharRange('\u0391', '\u03C9')
                .withCharRange('\u3041', '\u3096')
                .withChars("\uD83E\uDD8B".toCharArray()[0])
                .ofMinLength(1)
                .ofMaxLength(30)
                .map(s -> Normalizer.normalize(fixSurrogates(s), Normalizer.Form.NFC))
                .filter(s -> !s.isBlank() && !s.startsWith("."));
    }

    /** Keeps only well-formed emoji: a lone high surrogate gets its partner. */
    private static String fixSurrogates(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c);
            if (Character.isHighSurrogate(c)) {
                sb.append('\uDD8B');
            }
        }
        return sb.toString();
    }

    @Provide
    Arbitrary<BigDecimal> weights() {
        Arbitrary<BigInteger> unscaled =
                Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.TEN.pow(20));
        Arbitrary<Integer> scale = Arbitraries.integers().between(0, 6);
        return Combinators.combine(unscaled, scale).as(BigDecimal::new);
    }

    @Property
    void fileNameRoundTrips(@ForAll("traits") String trait, @ForAll("weights") BigDecimal weight) {
        HashLipsName name = new HashLipsName(trait, weight);
        String fileName = name.fileName();
        assertThat(HashLipsName.isLayerFile(fileName)).isTrue();
        HashLipsName back = HashLipsName.parse(fileName);
        assertThat(back.trait()).isEqualTo(trait);
        assertThat(back.weight()).isEqualTo(weight); // same value and same scale
    }

    @Property
    void extensionCaseDoesNotMatter(
            @ForAll("traits") String trait, @ForAll("weights") BigDecimal weight) {
        String stem = trait + "#" + weight.toPlainString();
        for (String ext : new String[] {".PNG", ".Png", ".pNg"}) {
            assertThat(HashLipsName.parse(stem + ext)).isEqualTo(HashLipsName.parse(stem + ".png"));
        }
    }

    @Property
    void noHashMeansWeightOne(@ForAll("traits") String trait) {
        String plain = trait.replace("#", "");
        if (!plain.isBlank() && !plain.startsWith(".")) {
            assertThat(HashLipsName.parse(plain + ".png"))
                    .isEqualTo(new HashLipsName(plain, BigDecimal.ONE));
        }
    }

    @Property
    void badWeightsAreRejected(
            @ForAll("traits") String trait, @ForAll("badWeights") String weight) {
        assertThatThrownBy(() -> HashLipsName.parse(trait + "#" + weight + ".png"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("weight");
    }

    @Provide
    Arbitrary<String> badWeights() {
        return Arbitraries.oneOf(
                Arbitraries.of(
                        "",
                        "-1",
                        "-0.5",
                        "abc",
                        "NaN",
                        "Infinity",
                        "-Infinity",
                        "1e3",
                        "1E-2",
                        ".5",
                        "5.",
                        "1.2.3",
                        "+1",
                        "0x10",
                        "1,5",
                        " 1",
                        "1 ",
                        "½",
                        "١"),
                Arbitraries.integers().between(1, 1000).map(i -> "-" + i));
    }

    @Property
    void codePointOrderMatchesCodePointArrays(@ForAll String a, @ForAll String b) {
        int expected = java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
        assertThat(Integer.signum(CodePointOrder.INSTANCE.compare(a, b)))
                .isEqualTo(Integer.signum(expected));
    }

    @Example
    void otherFilesAreNotLayerFiles() {
        for (String f :
                new String[] {
                    ".DS_Store",
                    "Thumbs.db",
                    "notes.txt",
                    ".hidden#1.png",
                    ".png",
                    "a.png.txt",
                    "a.jpg"
                }) {
            assertThat(HashLipsName.isLayerFile(f)).as(f).isFalse();
        }
        assertThat(HashLipsName.isLayerFile("a." + "PNG".toLowerCase(Locale.ROOT))).isTrue();
    }
}

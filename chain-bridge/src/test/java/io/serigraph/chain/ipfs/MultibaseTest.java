package io.serigraph.chain.ipfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MultibaseTest {
    /** RFC 4648 section 10, lower case, padding removed. */
    @ParameterizedTest
    @CsvSource({
        "'', ''",
        "f, my",
        "fo, mzxq",
        "foo, mzxw6",
        "foob, mzxw6yq",
        "fooba, mzxw6ytb",
        "foobar, mzxw6ytboi"
    })
    void base32MatchesRfc4648(String text, String base32) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        assertThat(Multibase.encodeBase32(bytes)).isEqualTo(base32);
        assertThat(Multibase.decodeBase32(base32)).isEqualTo(bytes);
        assertThat(Multibase.encode(Multibase.Base.BASE32, bytes)).isEqualTo("b" + base32);
        assertThat(Multibase.decode("B" + base32.toUpperCase())).isEqualTo(bytes);
    }

    /** Values computed with multiformats 13.4.2 (base58btc). */
    @Test
    void base58MatchesMultiformats() {
        assertThat(Multibase.encodeBase58("hello world".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("StV1DL6CwTryKyV");
        byte[] leadingZeros = HexFormat.of().parseHex("0000287fb4cd");
        assertThat(Multibase.encodeBase58(leadingZeros)).isEqualTo("11233QC4");
        assertThat(Multibase.decode("z11233QC4")).isEqualTo(leadingZeros);
        assertThat(Multibase.encodeBase58(new byte[0])).isEmpty();
        assertThat(Multibase.decodeBase58("")).isEmpty();
    }

    @Test
    void base16() {
        assertThat(Multibase.encode(Multibase.Base.BASE16, new byte[] {0, 1, (byte) 0xab}))
                .isEqualTo("f0001ab");
        assertThat(Multibase.decode("f0001ab")).containsExactly(0, 1, 0xab);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''|empty multibase string",
                "xabc|unknown multibase prefix 'x' at character offset 0",
                "bmzx1|'1' at character offset 4 is not base32 (lower case)",
                "bmzXw|'X' at character offset 3 is not base32 (lower case)",
                "Bmzxw|'m' at character offset 1 is not base32 (upper case)",
                "bm|text of 1 characters ends with 5 leftover bits",
                "bmzxw6yr|leftover bits that are not zero padding",
                "z0abc|'0' at character offset 1 is not base58btc",
                "zStVl|'l' at character offset 4 is not base58btc",
                "f000|odd number of digits",
                "f0g00|'g' at character offset 2 is not base16"
            })
    void rejectsBadText(String text, String message) {
        assertThatThrownBy(() -> Multibase.decode(text))
                .isInstanceOf(MultibaseFormatException.class)
                .hasMessageContaining(message);
    }

    @Test
    void namesNonPrintableCharacters() {
        assertThatThrownBy(() -> Multibase.decode("bmz\u00e9"))
                .isInstanceOf(MultibaseFormatException.class)
                .hasMessageContaining("U+00E9 at character offset 3");
    }
}

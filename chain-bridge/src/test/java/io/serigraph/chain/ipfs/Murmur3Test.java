package io.serigraph.chain.ipfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Murmur3Test {
    /**
     * murmur364.encode(utf8(text)) from @multiformats/murmur3 (as installed with ipfs-car 3.1.0).
     */
    @ParameterizedTest
    @CsvSource({
        "'', 0000000000000000",
        "a, 85555565f6597889",
        "file-0.txt, e30f3e2075e63bd7",
        "'hello world, this is more than 16 bytes', 1b14a454d43f75f2",
        "\u00e9t\u00e9.txt, d32071a88686237c",
        "0123456789abcdef, 4be06d94cf4ad1a7"
    })
    void matchesTheJavaScriptHash(String text, String hex) {
        assertThat(HexFormat.of().formatHex(Murmur3.x64_64(text.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(hex);
    }
}

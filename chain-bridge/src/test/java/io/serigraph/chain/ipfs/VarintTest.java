package io.serigraph.chain.ipfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VarintTest {
    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest
    @CsvSource({
        "0, 00",
        "1, 01",
        "127, 7f",
        "128, 8001",
        "255, ff01",
        "300, ac02",
        "16384, 808001",
        "9223372036854775807, ffffffffffffffff7f"
    })
    void encodesAndDecodesKnownValues(long value, String hex) throws IOException {
        byte[] bytes = HEX.parseHex(hex);
        assertThat(Varint.encode(value)).isEqualTo(bytes);
        assertThat(Varint.size(value)).isEqualTo(bytes.length);
        assertThat(Varint.decode(bytes, 0, bytes.length)).isEqualTo(value);
        assertThat(Varint.length(bytes, 0)).isEqualTo(bytes.length);
        assertThat(Varint.read(new ByteArrayInputStream(bytes), 0)).isEqualTo(value);
    }

    @ParameterizedTest
    @CsvSource({
        "'', truncated varint at byte offset 0",
        "80, truncated varint at byte offset 0",
        "ffff, truncated varint at byte offset 0",
        "8000, not minimally encoded (its last byte, at offset 1, is 0x00)",
        "ff8000, not minimally encoded (its last byte, at offset 2, is 0x00)",
        "ffffffffffffffffff01, longer than 9 bytes",
        "80808080808080808001, longer than 9 bytes"
    })
    void rejectsBadVarints(String hex, String message) {
        byte[] bytes = HEX.parseHex(hex);
        assertThatThrownBy(() -> Varint.decode(bytes, 0, bytes.length))
                .isInstanceOf(VarintFormatException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((VarintFormatException) e).offset()).isZero());
    }

    @Test
    void rejectsBadVarintsInStreamsWithTheirStreamOffset() {
        assertThatThrownBy(() -> Varint.read(new ByteArrayInputStream(HEX.parseHex("8080")), 40))
                .isInstanceOf(VarintFormatException.class)
                .hasMessageContaining("truncated varint at byte offset 40");
        assertThatThrownBy(() -> Varint.read(new ByteArrayInputStream(HEX.parseHex("8100")), 7))
                .isInstanceOf(VarintFormatException.class)
                .hasMessageContaining("at byte offset 7 is not minimally encoded");
    }

    @Test
    void endOfStreamBeforeAVarintIsNotAnError() throws IOException {
        assertThat(Varint.read(new ByteArrayInputStream(new byte[0]), 0)).isEqualTo(-1);
    }

    @Test
    void decodesInsideALargerArrayAndHonoursTheLimit() {
        byte[] bytes = HEX.parseHex("00ac0299");
        assertThat(Varint.decode(bytes, 1, 3)).isEqualTo(300);
        assertThatThrownBy(() -> Varint.decode(bytes, 1, 2))
                .isInstanceOf(VarintFormatException.class)
                .hasMessageContaining("truncated varint at byte offset 1");
    }

    @Test
    void refusesNegativeValues() {
        assertThatThrownBy(() -> Varint.encode(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("18446744073709551615");
    }
}

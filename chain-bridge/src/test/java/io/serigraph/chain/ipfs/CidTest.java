package io.serigraph.chain.ipfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidTest {
    private static final String HELLO =
            "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";
    private static final String HELLO_HEX =
            "01551220a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447";

    @Test
    void parsesAndPrintsCidV1() {
        Cid cid = Cid.parse(HELLO);
        assertThat(cid.version()).isEqualTo(1);
        assertThat(cid.codec()).isEqualTo(Cid.RAW);
        assertThat(cid.multihash().code()).isEqualTo(Multihash.SHA2_256);
        assertThat(cid.multihash().digestLength()).isEqualTo(32);
        assertThat(HexFormat.of().formatHex(cid.bytes())).isEqualTo(HELLO_HEX);
        assertThat(cid).hasToString(HELLO);
        assertThat(cid)
                .isEqualTo(Cid.sha256(Cid.RAW, "hello world\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(cid).isEqualTo(Cid.decode(HexFormat.of().parseHex(HELLO_HEX)));
        assertThat(cid.hashCode()).isEqualTo(Cid.decode(cid.bytes()).hashCode());
    }

    /** Other encodings of the same CID, as multiformats 13.4.2 writes them. */
    @Test
    void readsOtherMultibases() {
        Cid cid = Cid.parse(HELLO);
        assertThat(Cid.parse("zb2rhi36Gc9GJWijLEL6zW45MBux5FcFv5gJmjXA7VAMozEXY")).isEqualTo(cid);
        assertThat(cid.toString(Multibase.Base.BASE58BTC))
                .isEqualTo("zb2rhi36Gc9GJWijLEL6zW45MBux5FcFv5gJmjXA7VAMozEXY");
        assertThat(Cid.parse(HELLO.toUpperCase().replaceFirst("^B", "B"))).isEqualTo(cid);
        assertThat(Cid.parse("f" + HELLO_HEX)).isEqualTo(cid);
    }

    /** sha2-256 of nothing: CIDv0 and its CIDv1 (dag-pb), from multiformats 13.4.2. */
    @Test
    void parsesCidV0AndConvertsToV1() {
        Cid v0 = Cid.parse("QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n");
        assertThat(v0.version()).isZero();
        assertThat(v0.codec()).isEqualTo(Cid.DAG_PB);
        assertThat(v0.byteLength()).isEqualTo(34);
        assertThat(v0).hasToString("QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n");
        assertThat(v0.toV1())
                .hasToString("bafybeihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
        assertThat(v0.toV1()).isNotEqualTo(v0);
        assertThat(Cid.decode(v0.bytes())).isEqualTo(v0);
        assertThat(v0).isEqualTo(Cid.v0(Multihash.sha256(new byte[0])));
        assertThatThrownBy(() -> v0.toString(Multibase.Base.BASE32))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decodesACidPrefixFollowedByData() {
        byte[] bytes = HexFormat.of().parseHex(HELLO_HEX + "68656c6c6f");
        Cid cid = Cid.decodePrefix(bytes, 0, bytes.length);
        assertThat(cid).hasToString(HELLO);
        assertThat(cid.byteLength()).isEqualTo(36);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''|empty CID string",
                // wrong / unknown multibase prefix
                "mafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4|unknown multibase prefix 'm' at character offset 0",
                "/ipfs/bafkrei|unknown multibase prefix '/' at character offset 0",
                // bad base32 characters
                "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2dev1i4|'1' at character offset 56 is not base32",
                "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqOnfipmb64f2km2devei4|'O' at character offset 39 is not base32",
                // a character cut off: impossible base32 length
                "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei|leftover bits",
                // a multibase-prefixed CIDv0
                "zQmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n|a CIDv0 multihash, which must be written in base58btc without a multibase prefix",
                // CIDv0 with a character that is not base58
                "QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR10|'0' at character offset 45 is not base58btc",
                // base16 CID with a trailing byte
                "f01551220a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a44700|1 unexpected byte(s) after the multihash at byte offset 36",
                // sha2-256 with a 31-byte digest
                "f0155121fa948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a4|sha2-256 multihash declares a 31-byte digest at byte offset 3"
            })
    void rejectsBadCidStrings(String text, String message) {
        assertThatThrownBy(() -> Cid.parse(text))
                .isInstanceOf(CidFormatException.class)
                .hasMessageContaining(message);
    }

    @Test
    void rejectsTruncatedAndUnsupportedCidsWrittenInBase32() {
        byte[] hello = Cid.parse(HELLO).bytes();
        String truncated = "b" + Multibase.encodeBase32(Arrays.copyOf(hello, 30));
        assertThatThrownBy(() -> Cid.parse(truncated))
                .isInstanceOf(CidFormatException.class)
                .hasMessageContaining(
                        "truncated multihash: digest of 32 bytes starts at byte offset 4 but only 26 byte(s) remain");
        byte[] v2 = hello.clone();
        v2[0] = 2;
        assertThatThrownBy(() -> Cid.parse("b" + Multibase.encodeBase32(v2)))
                .isInstanceOf(CidFormatException.class)
                .hasMessageContaining(
                        "unsupported CID version 2 at byte offset 0 (only 1 is defined)");
        byte[] v0 = hello.clone();
        v0[0] = 0;
        assertThatThrownBy(() -> Cid.parse("b" + Multibase.encodeBase32(v0)))
                .isInstanceOf(CidFormatException.class)
                .hasMessageContaining(
                        "unsupported CID version 0 at byte offset 0 (CIDv0 has no version byte)");
        byte[] unknownHash = HexFormat.of().parseHex("0155990104deadbeef");
        assertThat(Cid.parse("b" + Multibase.encodeBase32(unknownHash)).multihash().code())
                .isEqualTo(0x99);
    }

    @Test
    void errorOffsetsPointAtTheProblem() {
        CidFormatException e =
                catchCid("bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2dev1i4");
        assertThat(e.offset()).isEqualTo(56);
        assertThat(e).hasMessageStartingWith("bad CID \"bafkrei");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "|empty CID: no version at byte offset 0",
                "01|bad CID codec: truncated varint at byte offset 1",
                "0155|truncated CID: multihash missing at byte offset 2",
                "015512|bad multihash digest length: truncated varint at byte offset 3",
                "0155122001|truncated multihash: digest of 32 bytes starts at byte offset 4 but only 1 byte(s) remain",
                "80|bad CID version: truncated varint at byte offset 0",
                "018000|bad CID codec: varint at byte offset 1 is not minimally encoded",
                "0155ff7f|multihash digest length",
                "01551281|bad multihash digest length"
            })
    void rejectsBadCidBytes(String hex, String message) {
        byte[] bytes = HexFormat.of().parseHex(hex == null ? "" : hex);
        assertThatThrownBy(() -> Cid.decode(bytes))
                .isInstanceOf(CidFormatException.class)
                .hasMessageContaining(message);
    }

    @Test
    void rejectsATruncatedCidV0PrefixInBytes() {
        byte[] v0 = Cid.parse("QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n").bytes();
        byte[] cut = Arrays.copyOf(v0, 20);
        assertThatThrownBy(() -> Cid.decodePrefix(cut, 0, cut.length))
                .isInstanceOf(CidFormatException.class)
                .hasMessageContaining(
                        "truncated CIDv0 at byte offset 0: 34 bytes needed, 20 remain");
    }

    private static CidFormatException catchCid(String text) {
        try {
            Cid.parse(text);
        } catch (CidFormatException e) {
            return e;
        }
        throw new AssertionError("expected " + text + " to be rejected");
    }
}

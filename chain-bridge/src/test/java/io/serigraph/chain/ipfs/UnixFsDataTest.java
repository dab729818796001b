package io.serigraph.chain.ipfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnixFsDataTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void encodesAsIpldUnixfsDoes() {
        assertThat(HEX.formatHex(UnixFsData.directory().encode())).isEqualTo("0801");
        // Type=File, filesize=1048577, blocksizes=[1048576, 1]: one key per blocksize (not packed).
        assertThat(HEX.formatHex(UnixFsData.file(1048577, new long[] {1048576, 1}).encode()))
                .isEqualTo("0802" + "1881804" + "0" + "2080804" + "0" + "2001");
        // Type=HAMTShard, Data=bitfield, hashType=0x22, fanout=256.
        assertThat(HEX.formatHex(UnixFsData.hamtShard(new byte[] {1, 2}, 0x22, 256).encode()))
                .isEqualTo("0805" + "12020102" + "2822" + "308002");
        assertThat(HEX.formatHex(UnixFsData.hamtShard(new byte[0], 0x22, 256).encode()))
                .isEqualTo("08052822308002");
    }

    @Test
    void roundTrips() {
        for (UnixFsData data :
                new UnixFsData[] {
                    UnixFsData.directory(),
                    UnixFsData.file(5, new long[] {2, 3}),
                    UnixFsData.hamtShard(new byte[] {(byte) 0x80, 0, 1}, 0x22, 256),
                    new UnixFsData(
                            UnixFsData.Type.SYMLINK,
                            new byte[] {'/', 'x'},
                            OptionalLong.empty(),
                            null,
                            OptionalLong.empty(),
                            OptionalLong.empty(),
                            OptionalLong.of(0755),
                            new UnixFsData.Mtime(1700000000L, 123))
                }) {
            assertThat(UnixFsData.decode(data.encode())).isEqualTo(data);
        }
    }

    @Test
    void acceptsPackedBlocksizesAndSkipsUnknownFields() {
        // Type=File, blocksizes packed [2, 3], unknown field 15 (varint 1), filesize=5
        UnixFsData data = UnixFsData.decode(HEX.parseHex("0802" + "22020203" + "7801" + "1805"));
        assertThat(data.blocksizes()).containsExactly(2, 3);
        assertThat(data.filesize()).hasValue(5);
    }

    @Test
    void anEmptyMtimeMessageIsTheEpoch() {
        assertThat(UnixFsData.decode(HEX.parseHex("08024200")).mtime())
                .isEqualTo(new UnixFsData.Mtime(0, 0));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''|no Type field (required)",
                "1805|no Type field (required)",
                "0809|unknown Type 9 at byte offset 0",
                "0a01|field 1 at byte offset 0 has wire type 2, expected 0",
                "080212|Data length: truncated varint at byte offset 3",
                "08021205aa|Data declares 5 bytes at byte offset 3 but only 1 remain",
                "080220|blocksize: truncated varint at byte offset 3",
                "08027b|unsupported wire type 3"
            })
    void rejectsBrokenMessages(String hex, String message) {
        byte[] bytes = HEX.parseHex(hex);
        assertThatThrownBy(() -> UnixFsData.decode(bytes))
                .isInstanceOf(UnixFsFormatException.class)
                .hasMessageContaining(message);
    }
}

package io.serigraph.chain.ipfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CarTest {
    private static final HexFormat HEX = HexFormat.of();

    @TempDir Path tmp;

    /** hello.txt in a directory: two blocks, the raw file then the directory (the root). */
    private static byte[] helloCar(List<Block> blocks) throws IOException {
        ImportResult r =
                new UnixFsImporter()
                        .importFiles(
                                List.of(
                                        FileEntry.of(
                                                "hello.txt",
                                                "hello world\n".getBytes(StandardCharsets.UTF_8))),
                                blocks::add);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CarWriter car = new CarWriter(out, List.of(r.root()))) {
            for (Block b : blocks) {
                car.accept(b);
            }
            assertThat(car.blockCount()).isEqualTo(2);
            assertThat(car.bytesWritten()).isEqualTo(out.size());
        }
        return out.toByteArray();
    }

    @Test
    void writesWhatIpfsCarWritesAndReadsItBack() throws IOException {
        List<Block> blocks = new ArrayList<>();
        byte[] car = helloCar(blocks);
        assertThat(Multibase.encodeRaw(Multibase.Base.BASE16, Multihash.sha256(car).digest()))
                .isEqualTo(ReferenceVector.get("hello-wrapped").carSha256());
        try (CarReader reader = new CarReader(new ByteArrayInputStream(car))) {
            assertThat(reader.roots()).containsExactly(blocks.get(1).cid());
            assertThat(reader.next()).isEqualTo(blocks.get(0));
            assertThat(reader.next()).isEqualTo(blocks.get(1));
            assertThat(reader.next()).isNull();
            assertThat(reader.offset()).isEqualTo(car.length);
        }
    }

    @Test
    void headerIsTheDagCborMapIpfsCarWrites() {
        Cid root = Cid.parse("bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4");
        // {roots: [CID], version: 1}: a2, "roots", array(1), tag 42, bytes(37) 00 <cid>, "version",
        // 1
        assertThat(HEX.formatHex(new CarHeader(List.of(root)).encode()))
                .isEqualTo(
                        "a265726f6f747381d82a582500"
                                + HEX.formatHex(root.bytes())
                                + "6776657273696f6e01");
        assertThat(HEX.formatHex(new CarHeader(List.of()).encodeWithLength()))
                .isEqualTo("11a265726f6f7473806776657273696f6e01");
    }

    @Test
    void replacesRootsInPlaceOnlyWhenTheHeaderKeepsItsLength() throws IOException {
        Path file = tmp.resolve("x.car");
        Cid placeholder = CarPacker.PLACEHOLDER_ROOT;
        try (CarWriter car = new CarWriter(Files.newOutputStream(file), List.of(placeholder))) {
            car.accept(new Block(Cid.sha256(Cid.RAW, new byte[] {1}), new byte[] {1}));
        }
        Cid root = Cid.sha256(Cid.RAW, new byte[] {1});
        CarWriter.replaceRoots(file, List.of(root));
        try (CarReader reader = new CarReader(Files.newInputStream(file))) {
            assertThat(reader.roots()).containsExactly(root);
            assertThat(reader.next().cid()).isEqualTo(root);
        }
        assertThatThrownBy(() -> CarWriter.replaceRoots(file, List.of(root, root)))
                .isInstanceOf(CarFormatException.class)
                .hasMessageContaining(
                        "cannot replace the roots of "
                                + file
                                + " in place: its header is 59 bytes, the new one 100");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "|empty input: a CAR file starts with a varint header length",
                // "not a car" in ASCII: 'n' = 110 is taken as the header length
                "6e6f742061206361722066696c65|truncated CAR: the CAR header (starting at byte offset 0) needs 110 bytes but the input ends after 13",
                "80|bad varint for the header length: truncated varint at byte offset 0",
                "00|CAR header length 0 at byte offset 0 is zero",
                "808080|bad varint for the header length",
                "0101|expected the header map (CBOR major type 5) at byte offset 1, found major type 0",
                "11a265726f6f7473806776657273696f6e02|unsupported CAR version 2 at byte offset 17 (this reader reads CAR v1; a CARv2 file wraps a CARv1 payload)",
                "0da265726f6f74738063666f6f01|unexpected key \"foo\" in the CAR header at byte offset 9",
                "0aa16776657273696f6e01|CAR header at byte offset 1 lacks \"roots\"",
                "12a265726f6f7473806776657273696f6e1801|the version at byte offset 17 is not minimally encoded",
                "12a265726f6f7473806776657273696f6e0100|1 unexpected byte(s) after the CAR header map at byte offset 18",
                "0ca265726f6f747381d82a4101|CID byte string at byte offset 11 must start with 0x00",
                "0da265726f6f747381d82a420001|bad root CID in the CAR header: bad CID codec: truncated varint at byte offset 1",
                "09a265726f6f747381d8|CAR header ends at byte offset 10 in the middle of a CID (tag 42)",
                "08bf65726f6f7473ff|the header map at byte offset 1 uses an indefinite or reserved length",
                // a valid empty-roots header, then a section of length 0, or a bad CID, or a bad
                // varint
                "11a265726f6f7473806776657273696f6e0100|section 0 at byte offset 18 is empty (length 0)",
                "11a265726f6f7473806776657273696f6e0103015512|bad CID in section 0 at byte offset 18: bad multihash digest length: truncated varint at byte offset 3",
                "11a265726f6f7473806776657273696f6e01ff|bad varint for a section length: truncated varint at byte offset 18",
                "11a265726f6f7473806776657273696f6e01070155990101aa61|(section 0 at byte offset 18, CID bafkzsaibvi) uses hash function 0x99, which this reader cannot check",
                "11a265726f6f7473806776657273696f6e01050155000100|does not match its CID: its 0 bytes hash to , the CID says 00",
            })
    void rejectsBrokenCars(String hex, String message) {
        byte[] bytes = HEX.parseHex(hex == null ? "" : hex);
        assertThatThrownBy(() -> readAll(bytes))
                .isInstanceOf(CarFormatException.class)
                .hasMessageContaining(message);
    }

    @Test
    void acceptsIdentityHashedBlocks() throws IOException {
        // section: CID v1 raw identity(1 byte 0x61), then the block "a"
        byte[] bytes =
                HEX.parseHex("11a265726f6f7473806776657273696f6e01" + "06" + "0155000161" + "61");
        assertThat(readAll(bytes)).hasSize(1);
    }

    @Test
    void reportsTheFirstBlockWhoseBytesDoNotMatchItsCid() throws IOException {
        List<Block> blocks = new ArrayList<>();
        byte[] car = helloCar(blocks);
        int headerLength = new CarHeader(List.of(blocks.get(1).cid())).encodeWithLength().length;
        int dataAt = headerLength + 1 + 36; // section length, CID, then "hello world\n"
        byte[] bad = car.clone();
        bad[dataAt + 4] ^= 1;
        assertThatThrownBy(() -> readAll(bad))
                .isInstanceOfSatisfying(
                        CarFormatException.class, e -> assertThat(e.offset()).isEqualTo(dataAt))
                .hasMessageContaining(
                        "block 0 (section 0 at byte offset "
                                + headerLength
                                + ", CID bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4) does not match its CID:"
                                + " its 12 bytes hash to ")
                .hasMessageContaining(
                        "the CID says a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447");
    }

    @Test
    void reportsATruncatedLastBlock() throws IOException {
        byte[] car = helloCar(new ArrayList<>());
        byte[] cut = Arrays.copyOf(car, car.length - 10);
        assertThatThrownBy(() -> readAll(cut))
                .isInstanceOf(CarFormatException.class)
                .hasMessageMatching(
                        "truncated CAR: section 1 at byte offset \\d+ \\(starting at byte offset \\d+\\) needs \\d+ bytes but"
                                + " the input ends after \\d+, at byte offset "
                                + cut.length);
    }

    @Test
    void refusesSectionsOverTheLimit() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] big = new byte[1000];
        try (CarWriter car = new CarWriter(out, List.of())) {
            car.accept(new Block(Cid.sha256(Cid.RAW, big), big));
        }
        assertThatThrownBy(
                        () ->
                                new CarReader(new ByteArrayInputStream(out.toByteArray()), 500)
                                        .next())
                .isInstanceOf(CarFormatException.class)
                .hasMessageContaining(
                        "section 0 at byte offset 18 declares 1036 bytes, over the 500-byte limit");
    }

    static List<Block> readAll(byte[] bytes) throws IOException {
        List<Block> blocks = new ArrayList<>();
        try (CarReader reader = new CarReader(new ByteArrayInputStream(bytes))) {
            for (Block b = reader.next(); b != null; b = reader.next()) {
                blocks.add(b);
            }
        }
        return blocks;
    }
}

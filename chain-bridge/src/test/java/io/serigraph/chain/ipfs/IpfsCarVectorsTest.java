package io.serigraph.chain.ipfs;

import static io.serigraph.chain.ipfs.IpfsCarFixtures.MIB;
import static io.serigraph.chain.ipfs.IpfsCarFixtures.pattern;
import static io.serigraph.chain.ipfs.IpfsCarFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Packs the inputs of every reference vector and compares root CID, CAR SHA-256, CAR length and
 * block count with what ipfs-car 3.1.0 produced (ipfs-car-vectors.tsv, made by make-vectors.mjs),
 * then reads each CAR back with {@link CarReader}.
 */
class IpfsCarVectorsTest {
    @TempDir Path tmp;

    private final UnixFsImporter importer = new UnixFsImporter();

    @Test
    void emptyFile() throws IOException {
        Packed p = packFile("empty", new IpfsCarFixtures.PatternStream(1, 0));
        assertThat(p.root)
                .hasToString("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
        assertThat(p.root.codec()).isEqualTo(Cid.RAW);
    }

    @Test
    void oneByte() throws IOException {
        packFile("one-byte", new IpfsCarFixtures.PatternStream(1, 1));
    }

    @Test
    void helloWorld() throws IOException {
        Packed p = packFile("hello", new ByteArrayInputStream(text("hello world\n")));
        assertThat(p.root)
                .hasToString("bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4");
        ImportResult direct = importer.importBytes(text("hello world\n"), block -> {});
        assertThat(direct.root()).isEqualTo(p.root);
        assertThat(direct.contentSize()).isEqualTo(12);
        assertThat(direct.dagSize()).isEqualTo(12);
    }

    @Test
    void exactlyOneChunkIsOneRawBlock() throws IOException {
        Packed p = packFile("one-mib", new IpfsCarFixtures.PatternStream(2, MIB));
        assertThat(p.root.codec()).isEqualTo(Cid.RAW);
        assertThat(p.root).isEqualTo(Cid.sha256(Cid.RAW, pattern(2, MIB)));
    }

    @Test
    void oneChunkAndOneByte() throws IOException {
        Packed p = packFile("one-mib-plus-one", new IpfsCarFixtures.PatternStream(3, MIB + 1));
        assertThat(p.root.codec()).isEqualTo(Cid.DAG_PB);
    }

    @Test
    void fiveMebibytes() throws IOException {
        packFile("five-mib", new IpfsCarFixtures.PatternStream(4, 5 * MIB));
    }

    @Test
    void fiveMebibytesFromMemoryGiveTheSameRoot() throws IOException {
        ImportResult r = importer.importBytes(pattern(4, 5 * MIB), block -> {});
        assertThat(r.root()).hasToString(ReferenceVector.get("five-mib").root());
        assertThat(r.contentSize()).isEqualTo(5L * MIB);
        assertThat(r.blockCount()).isEqualTo(6);
    }

    @Test
    void singleFileIsWrappedByDefault() throws IOException {
        Path file = Files.write(tmp.resolve("hello.txt"), text("hello world\n"));
        check("hello-wrapped", car -> CarPacker.pack(importer, file, true, car));
        check(
                "hello-wrapped",
                car -> CarPacker.pack(importer, List.of(FileEntry.of("hello.txt", file)), car));
        check("hello", car -> CarPacker.pack(importer, file, false, car));
    }

    @Test
    void emptyDirectory() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("empty"));
        check("dir-empty", car -> CarPacker.pack(importer, List.of(), car));
        check("dir-empty", car -> CarPacker.pack(importer, dir, true, car));
    }

    @Test
    void thousandFilesStayFlat() throws IOException {
        Map<String, byte[]> files = IpfsCarFixtures.manyFiles(1000);
        Packed p =
                check(
                        "dir-1000",
                        car ->
                                CarPacker.pack(
                                        importer, IpfsCarFixtures.visibleEntries(files), car));
        assertThat(UnixFsData.decode(DagPb.decode(p.rootBlock).data()).type())
                .isEqualTo(UnixFsData.Type.DIRECTORY);
        Path dir = IpfsCarFixtures.writeTree(tmp.resolve("dir-1000"), files);
        check("dir-1000", car -> CarPacker.pack(importer, dir, true, car));
    }

    @Test
    void thousandAndOneFilesAreSharded() throws IOException {
        Map<String, byte[]> files = IpfsCarFixtures.manyFiles(1001);
        Packed p =
                check(
                        "dir-1001",
                        car ->
                                CarPacker.pack(
                                        importer, IpfsCarFixtures.visibleEntries(files), car));
        UnixFsData data = UnixFsData.decode(DagPb.decode(p.rootBlock).data());
        assertThat(data.type()).isEqualTo(UnixFsData.Type.HAMT_SHARD);
        assertThat(data.fanout()).hasValue(256);
        assertThat(data.hashType()).hasValue(Multihash.MURMUR3_X64_64);
        Path dir = IpfsCarFixtures.writeTree(tmp.resolve("dir-1001"), files);
        check("dir-1001", car -> CarPacker.pack(importer, dir, true, car));
    }

    @Test
    void nestedDirectoryFromMemoryAndFromDisk() throws IOException {
        Map<String, byte[]> files = IpfsCarFixtures.nested();
        check(
                "dir-nested",
                car -> CarPacker.pack(importer, IpfsCarFixtures.visibleEntries(files), car));
        Path dir = IpfsCarFixtures.writeTree(tmp.resolve("dir-nested"), files);
        Files.createDirectory(dir.resolve("empty-dir"));
        check("dir-nested", car -> CarPacker.pack(importer, dir, true, car));
        check("dir-nested", car -> CarPacker.pack(importer, dir, false, car));
    }

    @Test
    void unicodeNamesFromMemory() throws IOException {
        check(
                "dir-unicode",
                car ->
                        CarPacker.pack(
                                importer,
                                IpfsCarFixtures.visibleEntries(IpfsCarFixtures.unicode()),
                                car));
    }

    @Test
    void unicodeNamesFromDisk() throws IOException {
        String jnu = System.getProperty("sun.jnu.encoding", "");
        assumeTrue(
                Charset.forName(jnu).equals(StandardCharsets.UTF_8),
                "SKIPPED: file names are not UTF-8 in this JVM (sun.jnu.encoding="
                        + jnu
                        + "); run with a UTF-8 locale (e.g. LANG=C.UTF-8) to check non-ASCII names on disk");
        Path dir = IpfsCarFixtures.writeTree(tmp.resolve("dir-unicode"), IpfsCarFixtures.unicode());
        check("dir-unicode", car -> CarPacker.pack(importer, dir, true, car));
    }

    @Test
    void filesUnderOneSubdirectoryArePackedAsThatSubdirectory() throws IOException {
        Path dir =
                IpfsCarFixtures.writeTree(
                        tmp.resolve("dir-common-prefix"), IpfsCarFixtures.commonPrefix());
        Packed p = check("dir-common-prefix", car -> CarPacker.pack(importer, dir, true, car));
        assertThat(DagPb.decode(p.rootBlock).links())
                .extracting(DagPb.Link::name)
                .containsExactly("x.txt", "y.txt");
    }

    @Test
    void deepTreeWrittenInOneRead() throws IOException {
        UnixFsImporter small =
                UnixFsImporter.builder().optChunkSize(64).optMaxLinksPerNode(4).build();
        check(
                "layout-one-write-c64-w4",
                car -> CarPacker.pack(small, new IpfsCarFixtures.PatternStream(6, 5000), car));
    }

    @Test
    void deepTreeWithChunksStraddlingReads() throws IOException {
        UnixFsImporter small =
                UnixFsImporter.builder().optChunkSize(1000).optMaxLinksPerNode(3).build();
        check(
                "layout-straddle-c1000-w3",
                car -> CarPacker.pack(small, new IpfsCarFixtures.PatternStream(9, 300000), car));
    }

    @Test
    void deepTreeWithOneLeafPerRead() throws IOException {
        UnixFsImporter small =
                UnixFsImporter.builder().optChunkSize(65536).optMaxLinksPerNode(3).build();
        check(
                "layout-leaf-per-write-c65536-w3",
                car ->
                        CarPacker.pack(
                                small, new IpfsCarFixtures.PatternStream(10, 20 * 65536 + 7), car));
    }

    @Test
    void fileOverOneGibibyte() throws IOException {
        assumeTrue(
                Boolean.getBoolean("serigraph.largeVectors"),
                "SKIPPED: the 1 GiB vector runs only with -Dserigraph.largeVectors=true (about 10 s, 1 GiB of disk)");
        check(
                "large-1025-mib-plus-one",
                car ->
                        CarPacker.pack(
                                importer,
                                new IpfsCarFixtures.PatternStream(11, 1025L * MIB + 1),
                                car));
    }

    private interface Pack {
        ImportResult pack(Path car) throws IOException;
    }

    private static final class Packed {
        Cid root;
        byte[] rootBlock;
    }

    private Packed packFile(String name, InputStream in) throws IOException {
        return check(name, car -> CarPacker.pack(importer, in, car));
    }

    /** Packs into a CAR file, compares it with the vector, reads it back. */
    private Packed check(String name, Pack pack) throws IOException {
        ReferenceVector expected = ReferenceVector.get(name);
        Path car = Files.createTempFile(tmp, name, ".car");
        ImportResult result = pack.pack(car);
        assertThat(result.root()).as(name + " root").hasToString(expected.root());
        assertThat(result.blockCount()).as(name + " blocks").isEqualTo(expected.blocks());
        assertThat(Files.size(car)).as(name + " CAR bytes").isEqualTo(expected.carBytes());

        MessageDigest sha = Multihash.newSha256();
        Packed packed = new Packed();
        long blocks = 0;
        try (CarReader reader =
                new CarReader(new DigestInputStream(Files.newInputStream(car), sha))) {
            assertThat(reader.roots()).containsExactly(result.root());
            for (Block b = reader.next(); b != null; b = reader.next()) {
                blocks++;
                if (b.cid().equals(result.root())) {
                    packed.rootBlock = b.bytes();
                }
            }
        }
        assertThat(blocks).isEqualTo(expected.blocks());
        assertThat(HexFormat.of().formatHex(sha.digest()))
                .as(name + " CAR SHA-256")
                .isEqualTo(expected.carSha256());
        Files.delete(car);
        packed.root = result.root();
        return packed;
    }
}

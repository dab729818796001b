package io.serigraph.chain.ipfs;

import static io.serigraph.chain.ipfs.IpfsCarFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UnixFsImporterTest {
    private final UnixFsImporter importer = new UnixFsImporter();

    @Test
    void leadingSlashOrDotSlashIsDropped() throws IOException {
        Cid plain =
                importer.importFiles(
                                List.of(FileEntry.of("hello.txt", text("hello world\n"))), b -> {})
                        .root();
        assertThat(
                        importer.importFiles(
                                        List.of(FileEntry.of("./hello.txt", text("hello world\n"))),
                                        b -> {})
                                .root())
                .isEqualTo(plain);
        assertThat(
                        importer.importFiles(
                                        List.of(FileEntry.of("/hello.txt", text("hello world\n"))),
                                        b -> {})
                                .root())
                .isEqualTo(plain)
                .hasToString(ReferenceVector.get("hello-wrapped").root());
    }

    @Test
    void rejectsAmbiguousTrees() {
        assertThatThrownBy(() -> importFiles("a", "a/b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"a\" in a/b cannot be a file and a directory");
        assertThatThrownBy(() -> importFiles("a/b", "a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"a\" in a/b cannot be a file and a directory");
        assertThatThrownBy(() -> importFiles("x/y", "x/y"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("file x/y is given twice");
        for (String bad : new String[] {"a//b", "../x", "a/./b", "a/", "/"}) {
            assertThatThrownBy(() -> importFiles(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("has an empty, \".\" or \"..\" segment");
        }
    }

    @Test
    void shardsOnlyAboveTheThreshold() throws IOException {
        UnixFsImporter three = UnixFsImporter.builder().optShardThreshold(3).build();
        List<FileEntry> files = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            files.add(FileEntry.of("f" + i, text("" + i)));
        }
        assertThat(rootType(three, files)).isEqualTo(UnixFsData.Type.DIRECTORY);
        files.add(FileEntry.of("f3", text("3")));
        assertThat(rootType(three, files)).isEqualTo(UnixFsData.Type.HAMT_SHARD);
    }

    @Test
    void shardStructureDoesNotDependOnEntryOrder() throws IOException {
        List<HamtShardWriter.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            Cid cid = Cid.sha256(Cid.RAW, text("content " + i));
            entries.add(new HamtShardWriter.Entry("name-" + i, cid, 10 + i));
        }
        List<Block> first = new ArrayList<>();
        Cid root = new HamtShardWriter(Multihash.newSha256(), first::add).write(entries, 0).root();
        Collections.shuffle(entries, new Random(42));
        List<Block> second = new ArrayList<>();
        assertThat(new HamtShardWriter(Multihash.newSha256(), second::add).write(entries, 0).root())
                .isEqualTo(root);
        assertThat(second).isEqualTo(first);
        // every entry is reachable in the slot its hash names
        DagPb.Node top = DagPb.decode(first.get(first.size() - 1).bytes());
        for (DagPb.Link link : top.links()) {
            if (link.name().length() > 2) {
                byte[] key = link.name().substring(2).getBytes(StandardCharsets.UTF_8);
                int slot = HamtShardWriter.slot(key, Murmur3.x64_64(key), 0);
                assertThat(link.name()).startsWith(String.format("%02X", slot));
            }
        }
    }

    @Test
    void reportsSizesAndCounts() throws IOException {
        List<Block> blocks = new ArrayList<>();
        ImportResult r =
                importer.importBytes(
                        IpfsCarFixtures.pattern(3, IpfsCarFixtures.MIB + 1), blocks::add);
        assertThat(r.blockCount()).isEqualTo(blocks.size()).isEqualTo(3);
        assertThat(r.contentSize()).isEqualTo(IpfsCarFixtures.MIB + 1);
        assertThat(r.dagSize()).isEqualTo(blocks.stream().mapToLong(b -> b.bytes().length).sum());
        UnixFsData root = UnixFsData.decode(DagPb.decode(blocks.get(2).bytes()).data());
        assertThat(root.filesize()).hasValue(IpfsCarFixtures.MIB + 1);
        assertThat(root.blocksizes()).containsExactly(IpfsCarFixtures.MIB, 1);
    }

    private UnixFsData.Type rootType(UnixFsImporter imp, List<FileEntry> files) throws IOException {
        List<Block> blocks = new ArrayList<>();
        Cid root = imp.importFiles(files, blocks::add).root();
        Block last = blocks.get(blocks.size() - 1);
        assertThat(last.cid()).isEqualTo(root);
        return UnixFsData.decode(DagPb.decode(last.bytes()).data()).type();
    }

    private void importFiles(String... paths) throws IOException {
        List<FileEntry> files = new ArrayList<>();
        for (String p : paths) {
            files.add(FileEntry.of(p, text(p)));
        }
        importer.importFiles(files, b -> {});
    }
}

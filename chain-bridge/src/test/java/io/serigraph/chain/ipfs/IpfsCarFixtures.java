package io.serigraph.chain.ipfs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The inputs of the reference vectors, byte for byte as
 * chain-bridge/src/test/ipfs-car/make-vectors.mjs makes them for ipfs-car. Change both together.
 */
final class IpfsCarFixtures {
    static final int MIB = 1024 * 1024;

    private IpfsCarFixtures() {}

    /** xorshift32 from {@code seed}; each step's state is emitted as 4 little-endian bytes. */
    static byte[] pattern(int seed, int length) {
        byte[] out = new byte[length];
        PatternStream stream = new PatternStream(seed, length);
        int at = 0;
        while (at < length) {
            at += stream.read(out, at, length - at);
        }
        return out;
    }

    /** The same bytes as {@link #pattern} as a stream, so that large inputs need no array. */
    static final class PatternStream extends InputStream {
        private int state;
        private long remaining;
        private int word;
        private int wordBytes;

        PatternStream(int seed, long length) {
            this.state = seed;
            this.remaining = length;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            for (int i = 0; i < n; i++) {
                if (wordBytes == 0) {
                    int x = state;
                    x ^= x << 13;
                    x ^= x >>> 17;
                    x ^= x << 5;
                    state = x;
                    word = x;
                    wordBytes = 4;
                }
                b[off + i] = (byte) word;
                word >>>= 8;
                wordBytes--;
            }
            remaining -= n;
            return n;
        }
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** file-<i>.txt containing "serigraph <i>\n". */
    static Map<String, byte[]> manyFiles(int n) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            files.put("file-" + i + ".txt", text("serigraph " + i + "\n"));
        }
        return files;
    }

    /** The nested tree, hidden entries included (ipfs-car skips them when it reads the disk). */
    static Map<String, byte[]> nested() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("README.md", text("nested fixture\n"));
        files.put("a.txt", pattern(7, 1000));
        files.put("a-b.txt", text("dash sorts before dot and slash\n"));
        files.put("a0", text("zero sorts after slash\n"));
        files.put("a/empty.bin", new byte[0]);
        files.put("a/b/c/deep.txt", text("deep\n"));
        files.put("big/blob.bin", pattern(5, MIB + MIB / 2));
        files.put("big/small.bin", pattern(8, 3));
        files.put("big/small-copy.bin", pattern(8, 3));
        files.put("Z.txt", text("capitals sort first\n"));
        files.put(".hidden", text("ipfs-car skips hidden files\n"));
        files.put("sub/.git/config", text("and hidden directories\n"));
        return files;
    }

    static Map<String, byte[]> unicode() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("\u00e9t\u00e9.txt", text("summer\n"));
        files.put("\uff21.txt", text("fullwidth A\n"));
        files.put("\ud83d\ude00.txt", text("grinning face\n"));
        files.put("ascii.txt", text("plain\n"));
        files.put("d\u00eer/\ud83d\udcc1/f.txt", text("nested unicode\n"));
        return files;
    }

    static Map<String, byte[]> commonPrefix() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("only/sub/x.txt", text("x\n"));
        files.put("only/sub/y.txt", text("y\n"));
        return files;
    }

    /** The entries ipfs-car packs from a directory holding {@code files}: hidden paths left out. */
    static List<FileEntry> visibleEntries(Map<String, byte[]> files) {
        List<FileEntry> entries = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            boolean hidden = false;
            for (String segment : e.getKey().split("/")) {
                hidden |= segment.startsWith(".");
            }
            if (!hidden) {
                entries.add(FileEntry.of(e.getKey(), e.getValue()));
            }
        }
        return entries;
    }

    /** Writes {@code files} under {@code dir}. */
    static Path writeTree(Path dir, Map<String, byte[]> files) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path file = dir.resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Files.write(file, e.getValue());
        }
        return dir;
    }
}

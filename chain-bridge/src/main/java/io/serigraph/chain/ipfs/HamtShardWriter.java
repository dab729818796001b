package io.serigraph.chain.ipfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Writes a UnixFS HAMT-sharded directory as {@code @ipld/unixfs} 3.0.0 does (through
 * {@code @perma/map}): a hash array mapped trie of fanout 256 keyed by murmur3-x64-64 of the UTF-8
 * name.
 *
 * <p>At depth {@code d} an entry goes to slot {@code hash[d]}: byte {@code d % 8} of frame {@code d
 * / 8}, where frame 0 is murmur3-x64-64(name) and frame {@code n > 0} is murmur3-x64-64(name + one
 * byte {@code n}). A slot holds one entry, or a sub-shard when two or more entries share it (so the
 * trie does not depend on insertion order). A shard node lists, in slot order, a link named {@code
 * XX + name} (two upper-case hex digits of the slot) per entry and {@code XX} per sub-shard; its
 * Data is {Type=HAMTShard, Data=bitfield, hashType=0x22, fanout=256}, the bitfield being the
 * 256-bit big-endian number with bit {@code slot} set for every used slot, leading zero bytes
 * removed. Sub-shards are written before the shard that links them (post-order, slot order).
 */
final class HamtShardWriter {
    static final int FANOUT = 256;

    /** A directory entry: name, target and the target's DAG size. */
    record Entry(String name, Cid cid, long dagSize) {}

    private record Hashed(Entry entry, byte[] key, byte[] frame0) {}

    private static final class Node {
        final Object[] slots = new Object[FANOUT];
    }

    private record Written(Cid cid, long dagSize) {}

    private final MessageDigest sha256;
    private final BlockSink sink;
    private long blockCount;

    HamtShardWriter(MessageDigest sha256, BlockSink sink) {
        this.sha256 = sha256;
        this.sink = sink;
    }

    /** Writes the shard tree of {@code entries} (unique names) and returns its root. */
    ImportResult write(List<Entry> entries, long contentSize) throws IOException {
        Node root = new Node();
        for (Entry entry : entries) {
            byte[] key = entry.name().getBytes(StandardCharsets.UTF_8);
            insert(root, new Hashed(entry, key, Murmur3.x64_64(key)), 0);
        }
        Written written = emit(root);
        return new ImportResult(written.cid(), contentSize, written.dagSize(), blockCount);
    }

    private static void insert(Node node, Hashed entry, int depth) {
        int slot = slot(entry, depth);
        Object occupant = node.slots[slot];
        if (occupant == null) {
            node.slots[slot] = entry;
        } else if (occupant instanceof Node) {
            insert((Node) occupant, entry, depth + 1);
        } else {
            Hashed other = (Hashed) occupant;
            if (other.entry().name().equals(entry.entry().name())) {
                throw new IllegalArgumentException(
                        "duplicate directory entry " + entry.entry().name());
            }
            Node child = new Node();
            insert(child, other, depth + 1);
            insert(child, entry, depth + 1);
            node.slots[slot] = child;
        }
    }

    /** The slot of an entry at a depth: one byte of its (unbounded) hash. */
    static int slot(byte[] key, byte[] frame0, int depth) {
        int frame = depth / 8;
        byte[] hash = frame == 0 ? frame0 : frame(key, frame);
        return hash[depth % 8] & 0xFF;
    }

    private static int slot(Hashed entry, int depth) {
        return slot(entry.key(), entry.frame0(), depth);
    }

    private static byte[] frame(byte[] key, int frame) {
        byte[] extended = new byte[key.length + 1];
        System.arraycopy(key, 0, extended, 0, key.length);
        extended[key.length] = (byte) frame;
        return Murmur3.x64_64(extended);
    }

    private Written emit(Node node) throws IOException {
        // Slot order is also the canonical (UTF-8 byte) order of the link names: every name starts
        // with its slot as two upper-case hex digits, and each slot appears once.
        List<DagPb.Link> links = new ArrayList<>();
        byte[] bitfield = new byte[FANOUT / 8];
        long dagSize = 0;
        for (int slot = 0; slot < FANOUT; slot++) {
            Object occupant = node.slots[slot];
            if (occupant == null) {
                continue;
            }
            bitfield[bitfield.length - 1 - slot / 8] |= (byte) (1 << (slot % 8));
            String prefix = String.format(Locale.ROOT, "%02X", slot);
            if (occupant instanceof Node) {
                Written child = emit((Node) occupant);
                links.add(new DagPb.Link(child.cid(), prefix, child.dagSize()));
                dagSize += child.dagSize();
            } else {
                Entry entry = ((Hashed) occupant).entry();
                links.add(new DagPb.Link(entry.cid(), prefix + entry.name(), entry.dagSize()));
                dagSize += entry.dagSize();
            }
        }
        int leadingZeros = 0;
        while (leadingZeros < bitfield.length && bitfield[leadingZeros] == 0) {
            leadingZeros++;
        }
        byte[] trimmed = Arrays.copyOfRange(bitfield, leadingZeros, bitfield.length);
        byte[] data = UnixFsData.hamtShard(trimmed, Multihash.MURMUR3_X64_64, FANOUT).encode();
        byte[] bytes = DagPb.encode(links, data);
        Cid cid = Cid.v1(Cid.DAG_PB, Multihash.sha256(bytes, 0, bytes.length, sha256));
        blockCount++;
        sink.accept(new Block(cid, bytes));
        return new Written(cid, bytes.length + dagSize);
    }
}

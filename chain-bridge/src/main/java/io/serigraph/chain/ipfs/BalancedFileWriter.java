package io.serigraph.chain.ipfs;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds one UnixFS file from chunks in a balanced tree of at most {@code width} links per node,
 * with raw leaves, emitting each block as soon as it can be encoded.
 *
 * <p>This is a transcription of {@code @ipld/unixfs} 3.0.0 as ipfs-car 3.1.0 drives it ({@code
 * file/layout/balanced.js}, {@code file/layout/queue.js}, {@code file/writer.js}), so that the
 * blocks come out in the same order and the CAR files are byte-identical:
 *
 * <ul>
 *   <li>Nodes are numbered in creation order. The first chunk is held back until a second one
 *       arrives (a single chunk becomes the raw root itself). When more than {@code width} leaves
 *       wait, the first {@code width} of them become a node; the same happens a row up.
 *   <li>Each {@link #write} (ipfs-car gets one per 64 KiB read) first encodes the new leaves, then
 *       the nodes all of whose children are already encoded. Encoding a block may complete its
 *       parent, which is then encoded after the tasks already waiting (first in, first out).
 *   <li>{@link #close} pushes the remaining leaves and nodes up to a single root.
 * </ul>
 */
final class BalancedFileWriter {
    /** A node of the layout: a leaf has content, a branch has children. */
    private record LayoutNode(int id, byte[] content, int[] children) {
        boolean isLeaf() {
            return children == null;
        }
    }

    /** An encoded file part: what a parent's link records. */
    private record Part(Cid cid, long contentSize, long dagSize) {}

    /** A branch waiting for some children to be encoded. */
    private static final class Pending {
        final int[] children;
        int missing;

        Pending(int[] children, int missing) {
            this.children = children;
            this.missing = missing;
        }
    }

    private static final int[] NO_CHILDREN = new int[0];

    private final int width;
    private final MessageDigest sha256;
    private final BlockSink sink;

    // Layout state.
    private byte[] head;
    private final List<Integer> leafIndex = new ArrayList<>();
    private final List<List<Integer>> nodeIndex = new ArrayList<>();
    private int lastId;

    // Queue state: encoded parts not yet claimed by a parent, and parents waiting for parts.
    private final Map<Integer, Part> parts = new HashMap<>();
    private final Map<Integer, Integer> parentOf = new HashMap<>();
    private final Map<Integer, Pending> pending = new HashMap<>();
    private final ArrayDeque<LayoutNode> tasks = new ArrayDeque<>();

    private int rootId = -1;
    private Part root;
    private long blockCount;

    BalancedFileWriter(int width, MessageDigest sha256, BlockSink sink) {
        if (width < 2) {
            throw new IllegalArgumentException("a balanced layout needs at least 2 links per node");
        }
        this.width = width;
        this.sha256 = sha256;
        this.sink = sink;
    }

    /** Takes the chunks completed by one write of input bytes (possibly none). */
    void write(List<byte[]> chunks) throws IOException {
        List<LayoutNode> leaves = new ArrayList<>();
        List<LayoutNode> nodes = new ArrayList<>();
        layoutWrite(chunks, leaves, nodes);
        schedule(leaves, nodes);
    }

    /** Takes the last (partial) chunks and finishes the file; returns its root. */
    ImportResult close(List<byte[]> chunks) throws IOException {
        List<LayoutNode> leaves = new ArrayList<>();
        List<LayoutNode> nodes = new ArrayList<>();
        layoutWrite(chunks, leaves, nodes);
        LayoutNode top;
        if (head != null) {
            top = new LayoutNode(1, head, null);
            head = null;
        } else if (leafIndex.isEmpty()) {
            top = new LayoutNode(1, new byte[0], null);
        } else {
            int before = nodes.size();
            flush(nodes, true);
            List<Integer> topRow = nodeIndex.get(nodeIndex.size() - 1);
            if (topRow.size() == 1 && nodes.size() > before) {
                top = nodes.remove(nodes.size() - 1);
            } else {
                top = new LayoutNode(++lastId, null, toArray(topRow));
            }
        }
        rootId = top.id();
        if (top.isLeaf()) {
            leaves.add(top);
        } else {
            nodes.add(top);
        }
        schedule(leaves, nodes);
        if (root == null) {
            throw new IllegalStateException("file root " + rootId + " was never encoded");
        }
        return new ImportResult(root.cid(), root.contentSize(), root.dagSize(), blockCount);
    }

    private void layoutWrite(List<byte[]> chunks, List<LayoutNode> leaves, List<LayoutNode> nodes) {
        if (chunks.isEmpty()) {
            return;
        }
        List<byte[]> slices;
        if (head != null) {
            slices = new ArrayList<>(chunks.size() + 1);
            slices.add(head);
            slices.addAll(chunks);
            head = null;
        } else if (chunks.size() == 1 && leafIndex.isEmpty()) {
            head = chunks.get(0);
            return;
        } else {
            slices = chunks;
        }
        for (byte[] chunk : slices) {
            LayoutNode leaf = new LayoutNode(++lastId, chunk, null);
            leaves.add(leaf);
            leafIndex.add(leaf.id());
        }
        if (leafIndex.size() > width) {
            flush(nodes, false);
        }
    }

    /**
     * Moves full rows (all rows, when closing) up the tree, appending the new nodes to {@code
     * nodes}.
     */
    private void flush(List<LayoutNode> nodes, boolean close) {
        while (leafIndex.size() > width || (!leafIndex.isEmpty() && close)) {
            grow(1);
            LayoutNode node = new LayoutNode(++lastId, null, take(leafIndex));
            nodeIndex.get(0).add(node.id());
            nodes.add(node);
        }
        int depth = 0;
        while (depth < nodeIndex.size()) {
            List<Integer> row = nodeIndex.get(depth);
            depth++;
            while (row.size() > width || (!row.isEmpty() && close && depth < nodeIndex.size())) {
                LayoutNode node = new LayoutNode(++lastId, null, take(row));
                grow(depth + 1);
                nodeIndex.get(depth).add(node.id());
                nodes.add(node);
            }
        }
    }

    private int[] take(List<Integer> row) {
        int n = Math.min(width, row.size());
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = row.get(i);
        }
        row.subList(0, n).clear();
        return ids;
    }

    private void grow(int rows) {
        while (nodeIndex.size() < rows) {
            nodeIndex.add(new ArrayList<>());
        }
    }

    /**
     * Queues the new leaves, then the new branches whose children are all encoded; runs the queue.
     */
    private void schedule(List<LayoutNode> leaves, List<LayoutNode> nodes) throws IOException {
        tasks.addAll(leaves);
        for (LayoutNode node : nodes) {
            int missing = 0;
            for (int child : node.children()) {
                if (!parts.containsKey(child)) {
                    missing++;
                }
            }
            if (missing == 0) {
                tasks.add(node);
            } else {
                Pending p = new Pending(node.children(), missing);
                pending.put(node.id(), p);
                for (int child : node.children()) {
                    if (!parts.containsKey(child)) {
                        parentOf.put(child, node.id());
                    }
                }
            }
        }
        while (!tasks.isEmpty()) {
            LayoutNode task = tasks.poll();
            Part part = task.isLeaf() ? encodeLeaf(task.content()) : encodeBranch(task.children());
            link(task.id(), part);
        }
    }

    private void link(int id, Part part) {
        if (id == rootId) {
            root = part;
            return;
        }
        parts.put(id, part);
        Integer parentId = parentOf.remove(id);
        if (parentId != null) {
            Pending parent = pending.get(parentId);
            if (--parent.missing == 0) {
                pending.remove(parentId);
                tasks.add(new LayoutNode(parentId, null, parent.children));
            }
        }
    }

    private Part encodeLeaf(byte[] content) throws IOException {
        Cid cid = Cid.v1(Cid.RAW, Multihash.sha256(content, 0, content.length, sha256));
        emit(new Block(cid, content));
        return new Part(cid, content.length, content.length);
    }

    private Part encodeBranch(int[] children) throws IOException {
        List<DagPb.Link> links = new ArrayList<>(children.length);
        long[] blocksizes = new long[children.length];
        long contentSize = 0;
        long dagSize = 0;
        for (int i = 0; i < children.length; i++) {
            Part child = parts.remove(children[i]);
            links.add(new DagPb.Link(child.cid(), "", child.dagSize()));
            blocksizes[i] = child.contentSize();
            contentSize += child.contentSize();
            dagSize += child.dagSize();
        }
        byte[] bytes = DagPb.encode(links, UnixFsData.file(contentSize, blocksizes).encode());
        Cid cid = Cid.v1(Cid.DAG_PB, Multihash.sha256(bytes, 0, bytes.length, sha256));
        emit(new Block(cid, bytes));
        return new Part(cid, contentSize, dagSize + bytes.length);
    }

    private void emit(Block block) throws IOException {
        blockCount++;
        sink.accept(block);
    }

    private static int[] toArray(List<Integer> ids) {
        return ids.isEmpty() ? NO_CHILDREN : ids.stream().mapToInt(Integer::intValue).toArray();
    }
}

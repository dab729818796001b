package io.serigraph.chain.ipfs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The dag-pb codec (multicodec 0x70): a {@code PBNode} protobuf holding links to other blocks and
 * an opaque Data field. Encoding is canonical as the dag-pb spec and {@code @ipld/dag-pb} write it:
 * every Link (field 2) before Data (field 1); inside a link Hash, Name, Tsize. Decoding accepts
 * only that canonical form.
 */
public final class DagPb {
    /**
     * Link order required for a canonical node: by the UTF-8 bytes of the name, unsigned; shorter
     * first.
     */
    public static final Comparator<Link> LINK_ORDER =
            (a, b) -> compareNames(a.nameBytes(), b.nameBytes());

    private DagPb() {}

    /**
     * A link: the target's CID, an optional name ({@code null} = field absent; ipfs-car always
     * writes one, empty for file chunks) and an optional cumulative size of the target DAG ({@code
     * null} = absent).
     */
    public record Link(Cid hash, String name, Long tsize) {
        public Link {
            if (hash == null) {
                throw new IllegalArgumentException("a dag-pb link needs a Hash");
            }
            if (tsize != null && tsize < 0) {
                throw new IllegalArgumentException("negative Tsize " + tsize);
            }
        }

        byte[] nameBytes() {
            return name == null ? new byte[0] : name.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** A node: links (in the order they are encoded) and optional data ({@code null} = absent). */
    public record Node(List<Link> links, byte[] data) {
        public Node {
            links = List.copyOf(links);
            data = data == null ? null : data.clone();
        }

        @Override
        public byte[] data() {
            return data == null ? null : data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Node
                    && ((Node) o).links.equals(links)
                    && Arrays.equals(((Node) o).data, data);
        }

        @Override
        public int hashCode() {
            return links.hashCode() * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Node[links="
                    + links
                    + ", data="
                    + (data == null ? "absent" : data.length + " bytes")
                    + "]";
        }
    }

    /**
     * Encodes a node, links in the given order (sort them with {@link #LINK_ORDER} for canonical
     * form).
     */
    public static byte[] encode(Node node) {
        return encode(node.links(), node.data);
    }

    /** Encodes links (in the given order) then data ({@code null} = absent). */
    public static byte[] encode(List<Link> links, byte[] data) {
        ProtoWriter out =
                new ProtoWriter(64 + links.size() * 48 + (data == null ? 0 : data.length));
        for (Link l : links) {
            ProtoWriter link = new ProtoWriter(64);
            link.bytes(1, l.hash().bytes());
            if (l.name() != null) {
                link.bytes(2, l.nameBytes());
            }
            if (l.tsize() != null) {
                link.uint64(3, l.tsize());
            }
            out.bytes(2, link.toByteArray());
        }
        if (data != null) {
            out.bytes(1, data);
        }
        return out.toByteArray();
    }

    /**
     * Decodes a canonical dag-pb node.
     *
     * @throws DagPbFormatException naming what is wrong and its byte offset
     */
    public static Node decode(byte[] bytes) {
        ProtoReader in =
                new ProtoReader(bytes, 0, bytes.length, "PBNode", DagPbFormatException::new);
        List<Link> links = new ArrayList<>();
        byte[] data = null;
        while (in.hasMore()) {
            int key = in.key();
            int field = key >>> 3;
            if ((key & 7) != ProtoWriter.LENGTH_DELIMITED) {
                throw in.fail(
                        "field "
                                + field
                                + " at byte offset "
                                + in.keyOffset()
                                + " has wire type "
                                + (key & 7)
                                + ", expected 2 (length-delimited)",
                        in.keyOffset());
            }
            if (field == 2) {
                if (data != null) {
                    throw in.fail(
                            "Links (field 2) at byte offset "
                                    + in.keyOffset()
                                    + " after Data: canonical dag-pb puts every link before Data",
                            in.keyOffset());
                }
                int start = in.lengthDelimited("Links");
                links.add(decodeLink(bytes, start, in.position()));
            } else if (field == 1) {
                if (data != null) {
                    throw in.fail(
                            "duplicate Data (field 1) at byte offset " + in.keyOffset(),
                            in.keyOffset());
                }
                int start = in.lengthDelimited("Data");
                data = in.copy(start);
            } else {
                throw in.fail(
                        "unexpected field "
                                + field
                                + " at byte offset "
                                + in.keyOffset()
                                + " (a PBNode has only Data = 1 and Links = 2)",
                        in.keyOffset());
            }
        }
        return new Node(links, data);
    }

    private static Link decodeLink(byte[] bytes, int offset, int limit) {
        ProtoReader in = new ProtoReader(bytes, offset, limit, "PBLink", DagPbFormatException::new);
        Cid hash = null;
        String name = null;
        Long tsize = null;
        int last = 0;
        while (in.hasMore()) {
            int key = in.key();
            int field = key >>> 3;
            int wireType = key & 7;
            if (field < 1 || field > 3) {
                throw in.fail(
                        "unexpected field "
                                + field
                                + " at byte offset "
                                + in.keyOffset()
                                + " (a PBLink has only Hash = 1, Name = 2, Tsize = 3)",
                        in.keyOffset());
            }
            if (field <= last) {
                throw in.fail(
                        "field "
                                + field
                                + " at byte offset "
                                + in.keyOffset()
                                + (field == last
                                        ? " is duplicated"
                                        : " is out of order (Hash, Name, Tsize)"),
                        in.keyOffset());
            }
            last = field;
            int expectedWireType = field == 3 ? ProtoWriter.VARINT : ProtoWriter.LENGTH_DELIMITED;
            if (wireType != expectedWireType) {
                throw in.fail(
                        "field "
                                + field
                                + " at byte offset "
                                + in.keyOffset()
                                + " has wire type "
                                + wireType
                                + ", expected "
                                + expectedWireType,
                        in.keyOffset());
            }
            if (field == 1) {
                int start = in.lengthDelimited("Hash");
                try {
                    Cid cid = Cid.decodePrefix(bytes, start, in.position());
                    if (start + cid.byteLength() != in.position()) {
                        throw new CidFormatException(
                                "trailing bytes after the CID", start + cid.byteLength());
                    }
                    hash = cid;
                } catch (CidFormatException e) {
                    throw in.fail(
                            "bad Hash at byte offset " + start + ": " + e.getMessage(), start);
                }
            } else if (field == 2) {
                int start = in.lengthDelimited("Name");
                name = new String(bytes, start, in.position() - start, StandardCharsets.UTF_8);
            } else {
                tsize = in.varint("Tsize");
            }
        }
        if (hash == null) {
            throw in.fail("link at byte offset " + offset + " has no Hash", offset);
        }
        return new Link(hash, name, tsize);
    }

    static int compareNames(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }
}

package io.serigraph.chain.ipfs;

import java.util.Arrays;

/**
 * An IPFS block: bytes and the CID that addresses them. The array is owned by the block and must
 * not be changed; {@link #bytes()} returns it without a copy so that large chunks are not copied on
 * their way to a CAR file.
 */
public record Block(Cid cid, byte[] bytes) {
    public Block {
        if (cid == null || bytes == null) {
            throw new IllegalArgumentException("a block needs a CID and bytes");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Block
                && ((Block) o).cid.equals(cid)
                && Arrays.equals(((Block) o).bytes, bytes);
    }

    @Override
    public int hashCode() {
        return cid.hashCode();
    }

    @Override
    public String toString() {
        return "Block[" + cid + ", " + bytes.length + " bytes]";
    }
}

package io.serigraph.chain.ipfs;

import java.util.Arrays;

/** The few protobuf writes dag-pb and UnixFS need: keys, varints, length-delimited bytes. */
final class ProtoWriter {
    static final int VARINT = 0;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private byte[] buffer;
    private int size;

    ProtoWriter(int capacity) {
        buffer = new byte[Math.max(16, capacity)];
    }

    ProtoWriter key(int field, int wireType) {
        return varint(((long) field << 3) | wireType);
    }

    ProtoWriter varint(long value) {
        ensure(Varint.MAX_LENGTH);
        size = Varint.write(value, buffer, size);
        return this;
    }

    ProtoWriter uint64(int field, long value) {
        return key(field, VARINT).varint(value);
    }

    ProtoWriter fixed32(int field, int value) {
        key(field, FIXED32);
        ensure(4);
        for (int i = 0; i < 4; i++) {
            buffer[size++] = (byte) (value >>> (8 * i));
        }
        return this;
    }

    ProtoWriter bytes(int field, byte[] bytes) {
        return bytes(field, bytes, 0, bytes.length);
    }

    ProtoWriter bytes(int field, byte[] bytes, int offset, int length) {
        key(field, LENGTH_DELIMITED).varint(length);
        ensure(length);
        System.arraycopy(bytes, offset, buffer, size, length);
        size += length;
        return this;
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }
}

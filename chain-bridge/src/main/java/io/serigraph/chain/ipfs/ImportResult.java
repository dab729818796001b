package io.serigraph.chain.ipfs;

/**
 * What an import produced.
 *
 * @param root the CID of the file or directory
 * @param contentSize the bytes of file content under it (a directory: the sum over its files)
 * @param dagSize the bytes of every block under it, itself included (the Tsize a parent link
 *     records)
 * @param blockCount how many blocks were given to the sink (a block that occurs twice counts twice)
 */
public record ImportResult(Cid root, long contentSize, long dagSize, long blockCount) {}

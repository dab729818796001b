package io.serigraph.pipeline.store;

/**
 * What a stage durably produced for one token.
 *
 * @param lineageHash SHA-256 of everything the output was derived from; a different lineage means
 *     the output is stale
 * @param outputSha256 SHA-256 of the output file
 * @param outputBytes size of the output file
 */
public record StageRecord(
        long tokenId, String stage, String lineageHash, String outputSha256, long outputBytes) {}

package io.serigraph.pipeline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serigraph.chain.mint.MintBatch;
import java.math.BigInteger;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreMintJournalTest {
    private static MintBatch signed(long first, int q, long nonce, String hash) {
        return new MintBatch(
                first, q, nonce, hash, "0xf86c", MintBatch.Status.SIGNED, 0, BigInteger.ZERO, "");
    }

    @Test
    void journalSurvivesReopeningAndIsAudited(@TempDir Path dir) {
        Path file = dir.resolve("drop.db");
        try (DropStore store = DropStore.open(file)) {
            StoreMintJournal j = new StoreMintJournal(store);
            j.recordIntent(signed(1, 100, 7, "0xaa"));
            j.recordIntent(signed(101, 100, 8, "0xbb"));
            j.update(
                    "0xaa",
                    MintBatch.Status.CONFIRMED,
                    250_000,
                    new BigInteger("123456789012345678901"),
                    "");
        }
        try (DropStore store = DropStore.open(file)) {
            StoreMintJournal j = new StoreMintJournal(store);
            assertThat(j.batches()).hasSize(2);
            MintBatch a = j.batches().get(0);
            assertThat(a.status()).isEqualTo(MintBatch.Status.CONFIRMED);
            assertThat(a.gasUsed()).isEqualTo(250_000);
            assertThat(a.costWei()).isEqualTo(new BigInteger("123456789012345678901"));
            assertThat(j.batches().get(1).nonce()).isEqualTo(8);
            assertThat(j.batches().get(1).status()).isEqualTo(MintBatch.Status.SIGNED);
            assertThat(store.audit())
                    .extracting(e -> e.event())
                    .containsSubsequence("mint.SIGNED", "mint.SIGNED", "mint.CONFIRMED");
            assertThat(store.verifyAudit().intact()).isTrue();
            assertThatThrownBy(() -> j.recordIntent(signed(1, 100, 7, "0xaa")))
                    .isInstanceOf(StoreException.class);
            assertThatThrownBy(
                            () -> j.update("0xcc", MintBatch.Status.SENT, 0, BigInteger.ZERO, ""))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("no mint transaction 0xcc");
        }
    }

    @Test
    void replacementsShareANonceAndOwnerCallsKeepTheirName(@TempDir Path dir) {
        Path file = dir.resolve("drop.db");
        try (DropStore store = DropStore.open(file)) {
            StoreMintJournal j = new StoreMintJournal(store);
            j.recordIntent(signed(1, 50, 3, "0x01"));
            // The stalled 0x01 replaced at the same nonce; the replacement is mined.
            j.recordIntent(signed(1, 50, 3, "0x02"));
            j.update("0x02", MintBatch.Status.CONFIRMED, 130_000, BigInteger.TEN, "");
            j.update("0x01", MintBatch.Status.DROPPED, 0, BigInteger.ZERO, "replaced: 0x02");
            j.recordIntent(
                    new MintBatch(
                            MintBatch.CALL,
                            0,
                            4,
                            "0x03",
                            "0xf86c",
                            MintBatch.Status.SIGNED,
                            0,
                            BigInteger.ZERO,
                            "commitStartingIndex()"));
        }
        try (DropStore store = DropStore.open(file)) {
            var batches = new StoreMintJournal(store).batches();
            assertThat(batches).extracting(MintBatch::nonce).containsExactly(3L, 3L, 4L);
            assertThat(batches)
                    .extracting(MintBatch::status)
                    .containsExactly(
                            MintBatch.Status.DROPPED,
                            MintBatch.Status.CONFIRMED,
                            MintBatch.Status.SIGNED);
            assertThat(batches.get(0).detail()).isEqualTo("replaced: 0x02");
            assertThat(batches.get(2).firstTokenId()).isEqualTo(MintBatch.CALL);
            assertThat(batches.get(2).detail()).isEqualTo("commitStartingIndex()");
            assertThat(store.verifyAudit().intact()).isTrue();
        }
    }
}

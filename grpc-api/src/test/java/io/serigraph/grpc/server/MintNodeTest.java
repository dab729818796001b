package io.serigraph.grpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.serigraph.chain.contract.SerigraphDrop;
import io.serigraph.chain.mint.Anvil;
import io.serigraph.grpc.Fixtures;
import io.serigraph.grpc.client.BearerCredentials;
import io.serigraph.grpc.v1.DryRunResponse;
import io.serigraph.grpc.v1.MintProgress;
import io.serigraph.grpc.v1.MintRequest;
import io.serigraph.grpc.v1.MintServiceGrpc;
import io.serigraph.grpc.v1.MintStatusRequest;
import io.serigraph.grpc.v1.MintStatusResponse;
import io.serigraph.grpc.v1.SpecRef;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * MintService on a real node on 127.0.0.1 (Netty) minting on a real anvil with chain-bridge's
 * BatchMinter: dry run, a streamed mint in batches, a second Mint that mints nothing twice, status
 * from the drop's journal, bad inputs and the mint scope. Skipped loudly without anvil.
 */
class MintNodeTest {
    private static final String MINT_TOKEN = "mint-token-0123456789abcd";
    private static final String DROP_TOKEN = "drop-token-0123456789abcd";
    private static final String RENDER_TOKEN = "render-token-0123456789ab";

    @TempDir static Path dir;

    private static Anvil anvil;
    private static SerigraphServer server;
    private static ManagedChannel channel;

    @BeforeAll
    static void start() throws Exception {
        // A block a second: a batch takes long enough to cancel a Mint between batches.
        anvil = Anvil.start("--block-time", "1");
        Path tokens = dir.resolve("tokens");
        Files.writeString(
                tokens,
                "minter "
                        + MINT_TOKEN
                        + " mint\nplanner "
                        + DROP_TOKEN
                        + " drop\nrenderer "
                        + RENDER_TOKEN
                        + " render\n",
                StandardCharsets.UTF_8);
        server =
                SerigraphServer.builder(NodeCalls.loopback())
                        .setLayerDir(dir.resolve("layers"))
                        .optDropDir(dir.resolve("drops"))
                        .optDevice(Fixtures.DEVICE)
                        .optThreads(2)
                        .optTokens(BearerTokens.load(tokens))
                        .optMint(
                                new MintSettings(
                                        anvil.url, Credentials.create(Anvil.KEY0), 31337L, false))
                        .optShutdownGrace(Duration.ofSeconds(5))
                        .start();
        channel = NodeCalls.channel(server);
    }

    @AfterAll
    static void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
        if (anvil != null) {
            anvil.close();
        }
    }

    private static SpecRef drop(String name, int size) throws Exception {
        return Fixtures.ref(NodeCalls.uploadedDrop(channel, RENDER_TOKEN, dir, name, size));
    }

    private static MintServiceGrpc.MintServiceBlockingStub stub(String token) {
        return MintServiceGrpc.newBlockingStub(channel)
                .withCallCredentials(new BearerCredentials(token))
                .withDeadlineAfter(5, TimeUnit.MINUTES);
    }

    private static MintRequest request(SpecRef ref) {
        return MintRequest.newBuilder()
                .setSpec(ref)
                .setBaseUri("ipfs://bafytest/")
                .setMaxBatch(2)
                .build();
    }

    private static List<MintProgress> mint(SpecRef ref) {
        List<MintProgress> events = new ArrayList<>();
        stub(MINT_TOKEN).mint(request(ref)).forEachRemaining(events::add);
        return events;
    }

    @Test
    void dryRunThenMintInBatchesAndASecondMintMintsNothingTwice() throws Exception {
        SpecRef ref = drop("minted", 5);
        DryRunResponse dry = stub(MINT_TOKEN).dryRun(request(ref));
        assertThat(dry.getChainId()).isEqualTo(31337);
        assertThat(dry.getContract()).isEmpty();
        assertThat(dry.getDeployGas()).isPositive();
        assertThat(dry.getSender())
                .isEqualToIgnoringCase(Credentials.create(Anvil.KEY0).getAddress());

        List<MintProgress> events = mint(ref);
        MintProgress done = events.get(events.size() - 1);
        assertThat(done.getStep()).isEqualTo("done");
        assertThat(done.getMinted()).isEqualTo(5);
        assertThat(done.getTotal()).isEqualTo(5);
        assertThat(done.getContract()).matches("0x[0-9a-fA-F]{40}");
        assertThat(done.getGasUsed()).isPositive();
        assertThat(events.stream().filter(e -> e.getStep().equals("confirmed")).count())
                .isGreaterThanOrEqualTo(3); // three batches of at most 2 tokens
        assertThat(totalSupply(done.getContract())).isEqualTo(BigInteger.valueOf(5));

        List<MintProgress> again = mint(ref);
        assertThat(again).noneMatch(e -> e.getStep().equals("signed"));
        assertThat(again.get(again.size() - 1).getMinted()).isEqualTo(5);
        assertThat(again.get(again.size() - 1).getContract()).isEqualTo(done.getContract());
        assertThat(totalSupply(done.getContract())).isEqualTo(BigInteger.valueOf(5));

        MintStatusResponse status =
                stub(MINT_TOKEN).status(MintStatusRequest.newBuilder().setSpec(ref).build());
        assertThat(status.getContract()).isEqualTo(done.getContract());
        assertThat(status.getChainId()).isEqualTo(31337);
        assertThat(status.getMinted()).isEqualTo(5);
        assertThat(status.getBatchesList())
                .anySatisfy(b -> assertThat(b.getFirstTokenId()).isEqualTo(-1));

        DryRunResponse after = stub(MINT_TOKEN).dryRun(request(ref));
        assertThat(after.getContract()).isEqualTo(done.getContract());
        assertThat(after.getTokensLeft()).isZero();
    }

    @Test
    void cancellingAMintMidStreamLeavesItForTheNextMintWhichMintsNothingTwice() throws Exception {
        SpecRef ref = drop("cancelled", 6);
        long stopped = server.stats().jobsStopped();
        NodeCalls.CancelWhen<MintRequest, MintProgress> cancel =
                new NodeCalls.CancelWhen<>(
                        e ->
                                e.getStep().equals("confirmed")
                                        && e.getBatch().getFirstTokenId() >= 0);
        MintServiceGrpc.newStub(channel)
                .withCallCredentials(new BearerCredentials(MINT_TOKEN))
                .mint(request(ref), cancel);
        cancel.awaitCancelled();
        assertThat(server.stats().awaitJobsStopped(stopped + 1, Duration.ofMinutes(2))).isTrue();
        MintStatusResponse partial =
                stub(MINT_TOKEN).status(MintStatusRequest.newBuilder().setSpec(ref).build());
        assertThat(partial.getMinted()).isBetween(2L, 5L);

        List<MintProgress> rest = mint(ref);
        MintProgress done = rest.get(rest.size() - 1);
        assertThat(done.getMinted()).isEqualTo(6);
        assertThat(done.getContract()).isEqualTo(partial.getContract());
        assertThat(totalSupply(done.getContract())).isEqualTo(BigInteger.valueOf(6));
    }

    @Test
    void badInputsNameTheFieldAndNothingIsSent() throws Exception {
        SpecRef ref = drop("refused", 3);
        StatusRuntimeException e =
                failure(
                        () ->
                                stub(MINT_TOKEN)
                                        .dryRun(request(ref).toBuilder().setBaseUri("").build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(field(e)).isEqualTo("base_uri");
        e =
                failure(
                        () ->
                                stub(MINT_TOKEN)
                                        .mint(request(ref).toBuilder().setTo("0x1234").build())
                                        .hasNext());
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(field(e)).isEqualTo("to");
        e =
                failure(
                        () ->
                                stub(MINT_TOKEN)
                                        .dryRun(
                                                request(ref).toBuilder()
                                                        .setRoyaltyBps(10_001)
                                                        .build()));
        assertThat(field(e)).isEqualTo("royalty_bps");
        MintStatusResponse status =
                stub(MINT_TOKEN).status(MintStatusRequest.newBuilder().setSpec(ref).build());
        assertThat(status.getContract()).isEmpty();
        assertThat(status.getBatchesCount()).isZero();

        e =
                failure(
                        () ->
                                stub(MINT_TOKEN)
                                        .status(
                                                MintStatusRequest.newBuilder()
                                                        .setSpec(drop("never", 2))
                                                        .build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void mintNeedsTheMintScope() throws Exception {
        SpecRef ref = drop("scoped", 2);
        for (String token : List.of(DROP_TOKEN, RENDER_TOKEN)) {
            StatusRuntimeException e = failure(() -> stub(token).mint(request(ref)).hasNext());
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(e.getStatus().getDescription()).contains("mint");
            e = failure(() -> stub(token).dryRun(request(ref)));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        }
        StatusRuntimeException e =
                failure(
                        () ->
                                MintServiceGrpc.newBlockingStub(channel)
                                        .status(
                                                MintStatusRequest.newBuilder()
                                                        .setSpec(ref)
                                                        .build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    /** The contract's totalSupply, read from the chain. */
    private static BigInteger totalSupply(String contract) throws Exception {
        return SerigraphDrop.load(
                        contract,
                        anvil.web3j,
                        Credentials.create(Anvil.KEY0),
                        new DefaultGasProvider())
                .totalSupply()
                .send();
    }

    private static String field(StatusRuntimeException e) {
        return NodeCalls.violation(e).getField();
    }

    private static StatusRuntimeException failure(ThrowingCallable call) {
        return NodeCalls.failure(call, dir.toString(), anvil.url, Anvil.KEY0.substring(2));
    }
}

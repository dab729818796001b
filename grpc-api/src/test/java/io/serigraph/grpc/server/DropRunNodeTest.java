package io.serigraph.grpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ResourceInfo;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.serigraph.grpc.Fixtures;
import io.serigraph.grpc.client.BearerCredentials;
import io.serigraph.grpc.v1.DropServiceGrpc;
import io.serigraph.grpc.v1.DropStatusRequest;
import io.serigraph.grpc.v1.DropStatusResponse;
import io.serigraph.grpc.v1.PlanRequest;
import io.serigraph.grpc.v1.PlanResponse;
import io.serigraph.grpc.v1.PlannedTokenMessage;
import io.serigraph.grpc.v1.ReviewRequest;
import io.serigraph.grpc.v1.ReviewResponse;
import io.serigraph.grpc.v1.RunEvent;
import io.serigraph.grpc.v1.RunRequest;
import io.serigraph.grpc.v1.SpecRef;
import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.PlannedToken;
import io.serigraph.pipeline.plan.Planner;
import io.serigraph.pipeline.qc.QcStage;
import io.serigraph.pipeline.qc.Rerolls;
import io.serigraph.pipeline.qc.ReviewLog;
import io.serigraph.pipeline.render.LocalRenderBackend;
import io.serigraph.pipeline.render.TraitLibrary;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.store.DropStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DropService Run, Status and Review on a real node on 127.0.0.1 (Netty) with the generated client:
 * a run renders and checks the drop on the node with the same bytes as a local render, streams its
 * progress, resumes after a cancellation mid-stream without redoing or losing work, review
 * decisions land in the drop's audit log, and a re-roll decided there is applied by the next Run
 * and shows in Plan.
 */
class DropRunNodeTest {
    private static final String DROP_TOKEN = "drop-token-0123456789abc";
    private static final String RENDER_TOKEN = "render-token-0123456789a";
    private static final String RUN = "serigraph.v1.DropService/Run";

    @TempDir static Path dir;

    private static SerigraphServer server;
    private static ManagedChannel channel;

    @BeforeAll
    static void start() throws Exception {
        Path tokens = dir.resolve("tokens");
        Files.writeString(
                tokens,
                "planner " + DROP_TOKEN + " drop\nrenderer " + RENDER_TOKEN + " render\n",
                StandardCharsets.UTF_8);
        server =
                SerigraphServer.builder(NodeCalls.loopback())
                        .setLayerDir(dir.resolve("layers"))
                        .optDropDir(dir.resolve("drops"))
                        .optDevice(Fixtures.DEVICE)
                        .optThreads(2)
                        .optTokens(BearerTokens.load(tokens))
                        .optShutdownGrace(Duration.ofSeconds(5))
                        .start();
        channel = NodeCalls.channel(server);
    }

    @AfterAll
    static void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
    }

    /** A sample drop whose layer set the node holds (uploaded through the remote backend). */
    private static CollectionSpec drop(String name, int size) throws Exception {
        return NodeCalls.uploadedDrop(channel, RENDER_TOKEN, dir, name, size);
    }

    private static DropServiceGrpc.DropServiceBlockingStub stub(String token) {
        return DropServiceGrpc.newBlockingStub(channel)
                .withCallCredentials(new BearerCredentials(token))
                .withDeadlineAfter(5, TimeUnit.MINUTES);
    }

    private static List<RunEvent> run(SpecRef ref) {
        List<RunEvent> events = new ArrayList<>();
        Iterator<RunEvent> it = stub(DROP_TOKEN).run(RunRequest.newBuilder().setSpec(ref).build());
        it.forEachRemaining(events::add);
        return events;
    }

    private static List<RunEvent> stage(List<RunEvent> events, String stage) {
        return events.stream().filter(e -> e.getStage().equals(stage)).toList();
    }

    private static Path nodeOut(String dropId) {
        return dir.resolve("drops").resolve(dropId).resolve("out");
    }

    @Test
    void aRunRendersAndChecksOnTheNodeWithLocalBytesAndARerunRedoesNothing() throws Exception {
        int size = 16;
        CollectionSpec spec = drop("whole", size);
        SpecRef ref = Fixtures.ref(spec);
        List<RunEvent> events = run(ref);

        List<RunEvent> render = stage(events, "render");
        assertThat(render.get(0).getTotal()).isEqualTo(size);
        assertThat(render.get(0).getSkipped()).isZero();
        assertThat(render.get(render.size() - 1).getDone()).isEqualTo(size);
        List<RunEvent> qc = stage(events, "qc");
        RunEvent lastQc = qc.get(qc.size() - 1);
        assertThat(lastQc.getVerdictsMap().values().stream().mapToInt(Integer::intValue).sum())
                .isEqualTo(size);
        assertThat(events.get(events.size() - 1).getStage()).isEqualTo("done");
        String id = events.get(0).getDropId();
        assertThat(id).isEqualTo(NodeDrops.id(ref));

        // The node's images are the local renderer's bytes.
        Plan plan = new Planner(1).plan(spec);
        try (LocalRenderBackend local =
                new LocalRenderBackend(spec, TraitLibrary.load(spec, 1), Fixtures.DEVICE)) {
            for (int i = 0; i < plan.size(); i++) {
                assertThat(nodeOut(id).resolve("images").resolve(plan.get(i).id() + ".png"))
                        .hasBinaryContent(local.render(plan.get(i)));
            }
        }

        DropStatusResponse status =
                stub(DROP_TOKEN).status(DropStatusRequest.newBuilder().setSpec(ref).build());
        assertThat(status.getDropId()).isEqualTo(id);
        assertThat(status.getTokens()).isEqualTo(size);
        assertThat(status.getRendered()).isEqualTo(size);
        assertThat(status.getChecked()).isEqualTo(size);
        assertThat(status.getRunning()).isFalse();

        List<RunEvent> again = run(ref);
        RunEvent renderAgain = stage(again, "render").get(0);
        assertThat(renderAgain.getSkipped()).isEqualTo(size);
        assertThat(renderAgain.getTotal()).isZero();
        assertThat(again.get(again.size() - 1).getStage()).isEqualTo("done");
    }

    @Test
    void cancellingMidStreamStopsTheRunAndTheNextRunDoesOnlyTheRest() throws Exception {
        int size = 400;
        CollectionSpec spec = drop("cancelled", size);
        SpecRef ref = Fixtures.ref(spec);
        long stopped = server.stats().jobsStopped();
        long cancelled = server.stats().rpc().ended(RUN, Status.Code.CANCELLED);
        NodeCalls.CancelWhen<RunRequest, RunEvent> cancel =
                new NodeCalls.CancelWhen<>(e -> e.getStage().equals("render") && e.getDone() >= 1);
        DropServiceGrpc.newStub(channel)
                .withCallCredentials(new BearerCredentials(DROP_TOKEN))
                .run(RunRequest.newBuilder().setSpec(ref).build(), cancel);
        cancel.awaitCancelled();
        assertThat(server.stats().awaitJobsStopped(stopped + 1, Duration.ofMinutes(2))).isTrue();
        // The node counts the call as CANCELLED once its listener hears of it (after the handler).
        assertThat(
                        server.stats()
                                .rpc()
                                .awaitEnded(RUN, Status.Code.CANCELLED, cancelled + 1, 60_000))
                .isTrue();

        long rendered =
                stub(DROP_TOKEN)
                        .status(DropStatusRequest.newBuilder().setSpec(ref).build())
                        .getRendered();
        assertThat(rendered).isBetween(1L, (long) size - 1);

        List<RunEvent> rest = run(ref);
        RunEvent begin = stage(rest, "render").get(0);
        assertThat(begin.getSkipped()).isEqualTo(rendered);
        assertThat(begin.getTotal()).isEqualTo(size - rendered);
        assertThat(rest.get(rest.size() - 1).getStage()).isEqualTo("done");
        assertThat(
                        stub(DROP_TOKEN)
                                .status(DropStatusRequest.newBuilder().setSpec(ref).build())
                                .getRendered())
                .isEqualTo(size);
    }

    @Test
    void aRunPastItsDeadlineStopsAndTheNextRunFinishesIt() throws Exception {
        // Enough tokens that rendering them takes well over the 300 ms deadline: 400 once did,
        // until the render got faster (2026-12-07) and finished some runs inside it.
        int size = 2000;
        SpecRef ref = Fixtures.ref(drop("late", size));
        long stopped = server.stats().jobsStopped();
        StatusRuntimeException e =
                failure(
                        () ->
                                DropServiceGrpc.newBlockingStub(channel)
                                        .withCallCredentials(new BearerCredentials(DROP_TOKEN))
                                        .withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                                        .run(RunRequest.newBuilder().setSpec(ref).build())
                                        .forEachRemaining(event -> {}));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(server.stats().awaitJobsStopped(stopped + 1, Duration.ofMinutes(2))).isTrue();
        long rendered = stub(DROP_TOKEN).status(status(ref)).getRendered();
        assertThat(rendered).isLessThan(size);

        List<RunEvent> rest = run(ref);
        assertThat(stage(rest, "render").get(0).getSkipped()).isEqualTo(rendered);
        assertThat(stub(DROP_TOKEN).status(status(ref)).getRendered()).isEqualTo(size);
    }

    @Test
    void reviewRecordsDecisionsOnTokensSentToReviewAndRefusesTheRest() throws Exception {
        CollectionSpec spec = drop("reviewed", 8);
        SpecRef ref = Fixtures.ref(spec);

        StatusRuntimeException e = failure(() -> stub(DROP_TOKEN).status(status(ref)));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        ResourceInfo info = StatusProto.fromThrowable(e).getDetails(0).unpack(ResourceInfo.class);
        assertThat(info.getResourceType()).isEqualTo("serigraph.v1.Drop");
        assertThat(info.getResourceName()).isEqualTo(NodeDrops.id(ref));

        run(ref);
        long first = spec.startId();
        e =
                failure(
                        () ->
                                stub(DROP_TOKEN)
                                        .review(
                                                review(
                                                        ref,
                                                        first,
                                                        ReviewRequest.Decision.APPROVE)));
        // The sample drop passes QC: nothing was sent to review.
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(e.getStatus().getDescription()).contains("not sent to review");
        e =
                failure(
                        () ->
                                stub(DROP_TOKEN)
                                        .review(
                                                review(
                                                        ref,
                                                        first,
                                                        ReviewRequest.Decision
                                                                .DECISION_UNSPECIFIED)));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(field(e)).isEqualTo("decision");
        e =
                failure(
                        () ->
                                stub(DROP_TOKEN)
                                        .review(
                                                review(
                                                        ref,
                                                        first + 1000,
                                                        ReviewRequest.Decision.REJECT)));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(field(e)).isEqualTo("token_id");

        // QC sends a token to review (its verdict in the drop's own store, on its QC lineage).
        Path db = nodeOut(NodeDrops.id(ref)).resolve("drop.db");
        String lineage;
        try (DropStore store = DropStore.open(db)) {
            lineage = store.stageRecord(first, QcStage.STAGE).orElseThrow().lineageHash();
            store.recordVerdict(first, "REVIEW", lineage);
        }
        ReviewResponse r =
                stub(DROP_TOKEN).review(review(ref, first, ReviewRequest.Decision.REROLL));
        assertThat(r.getDecision()).isEqualTo("reroll");
        assertThat(r.getReviewer()).isEqualTo("planner");
        assertThat(r.getQcLineage()).isEqualTo(lineage);
        try (DropStore store = DropStore.open(db)) {
            ReviewLog.Entry entry = ReviewLog.latest(store).get(first);
            assertThat(entry.decision()).isEqualTo(ReviewLog.Decision.REROLL);
            assertThat(entry.reviewer()).isEqualTo("planner");
            assertThat(store.verifyAudit().intact()).isTrue();
        }
        assertThat(stub(DROP_TOKEN).status(status(ref)).getDecisionsMap())
                .containsEntry("reroll", 1);
    }

    @Test
    void aRerollDecidedOnTheNodeIsAppliedByTheNextRunAndPlanReturnsTheTokensAsTheyAreNow()
            throws Exception {
        CollectionSpec spec = drop("rerolled", 8);
        SpecRef ref = Fixtures.ref(spec);
        Plan planned = new Planner(1).plan(spec);
        assertThat(dnas(stub(DROP_TOKEN).plan(plan(ref)))).isEqualTo(dnas(planned));

        run(ref);
        long token = spec.startId() + 3;
        int index = 3;
        Path db = nodeOut(NodeDrops.id(ref)).resolve("drop.db");
        try (DropStore store = DropStore.open(db)) {
            String lineage = store.stageRecord(token, QcStage.STAGE).orElseThrow().lineageHash();
            store.recordVerdict(token, "REVIEW", lineage);
        }
        stub(DROP_TOKEN).review(review(ref, token, ReviewRequest.Decision.REROLL));
        // Decided, not yet applied: the tokens are still the spec's.
        assertThat(dnas(stub(DROP_TOKEN).plan(plan(ref)))).isEqualTo(dnas(planned));

        List<RunEvent> events = run(ref);
        assertThat(stage(events, "render").get(0).getTotal()).isEqualTo(1);
        assertThat(events.get(events.size() - 1).getStage()).isEqualTo("done");

        PlanResponse now = stub(DROP_TOKEN).plan(plan(ref));
        List<String> expected = new ArrayList<>(dnas(planned));
        String rerolled = now.getTokens(index).getDna();
        assertThat(rerolled).isNotEqualTo(expected.get(index));
        expected.set(index, rerolled);
        assertThat(dnas(now)).isEqualTo(expected);
        Plan current;
        try (DropStore store = DropStore.open(db)) {
            current = Rerolls.overlay(planned, store);
        }
        assertThat(current.get(index).dna()).isEqualTo(rerolled);
        // The node rendered the token as it is now.
        try (LocalRenderBackend local =
                new LocalRenderBackend(spec, TraitLibrary.load(spec, 1), Fixtures.DEVICE)) {
            assertThat(nodeOut(NodeDrops.id(ref)).resolve("images").resolve(token + ".png"))
                    .hasBinaryContent(local.render(current.get(index)));
        }
    }

    private static PlanRequest plan(SpecRef ref) {
        return PlanRequest.newBuilder().setSpec(ref).build();
    }

    private static List<String> dnas(PlanResponse r) {
        return r.getTokensList().stream().map(PlannedTokenMessage::getDna).toList();
    }

    private static List<String> dnas(Plan plan) {
        return plan.tokens().stream().map(PlannedToken::dna).toList();
    }

    @Test
    void runNeedsTheDropScope() throws Exception {
        SpecRef ref = Fixtures.ref(drop("scoped", 4));
        StatusRuntimeException e =
                failure(
                        () ->
                                stub(RENDER_TOKEN)
                                        .run(RunRequest.newBuilder().setSpec(ref).build())
                                        .hasNext());
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        e = failure(() -> stub(RENDER_TOKEN).status(status(ref)));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    }

    private static DropStatusRequest status(SpecRef ref) {
        return DropStatusRequest.newBuilder().setSpec(ref).build();
    }

    private static ReviewRequest review(SpecRef ref, long token, ReviewRequest.Decision d) {
        return ReviewRequest.newBuilder().setSpec(ref).setTokenId(token).setDecision(d).build();
    }

    private static String field(StatusRuntimeException e) {
        return NodeCalls.violation(e).getField();
    }

    private static StatusRuntimeException failure(ThrowingCallable call) {
        return NodeCalls.failure(call, dir.toString());
    }
}

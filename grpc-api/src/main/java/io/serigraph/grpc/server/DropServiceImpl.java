package io.serigraph.grpc.server;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
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
import io.serigraph.grpc.v1.SimulateRequest;
import io.serigraph.grpc.v1.SimulateResponse;
import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.PlannedToken;
import io.serigraph.pipeline.qc.QcStage;
import io.serigraph.pipeline.qc.Rerolls;
import io.serigraph.pipeline.qc.ReviewLog;
import io.serigraph.pipeline.rarity.OpenRarity;
import io.serigraph.pipeline.render.RenderBackend;
import io.serigraph.pipeline.render.RenderStage;
import io.serigraph.pipeline.simulate.Simulation;
import io.serigraph.pipeline.store.StageRecord;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@code serigraph.v1.DropService}. */
final class DropServiceImpl extends DropServiceGrpc.DropServiceImplBase {
    /** As {@code serigraph simulate --top}. */
    static final int DEFAULT_TOP = 10;

    static final int MAX_TOP = 10_000;

    private final Workspaces workspaces;
    private final NodeDrops drops;
    private final ServerStats stats;
    private final int threads;

    DropServiceImpl(Workspaces workspaces, NodeDrops drops, ServerStats stats, int threads) {
        this.workspaces = workspaces;
        this.drops = drops;
        this.stats = stats;
        this.threads = threads;
    }

    private static String actor() {
        BearerTokens.Principal who = AuthInterceptor.PRINCIPAL.get();
        return who == null ? "anonymous" : who.name();
    }

    @Override
    public void plan(PlanRequest r, StreamObserver<PlanResponse> responses) {
        try {
            Plan plan = workspaces.get(r.getSpec()).plan(threads);
            Optional<NodeDrops.Drop> drop = drops.existing(r.getSpec());
            if (drop.isPresent()) {
                // The node's drop: its tokens as they are now, with the re-rolls applied.
                plan = Rerolls.overlay(plan, drop.get().store);
            }
            PlanResponse.Builder b =
                    PlanResponse.newBuilder().setPlanHash(plan.hash()).setStartId(plan.startId());
            for (PlannedToken t : plan.tokens()) {
                PlannedTokenMessage.Builder m =
                        PlannedTokenMessage.newBuilder().setId(t.id()).setDna(t.dna());
                for (int c : t.choices()) {
                    m.addChoices(c);
                }
                b.addTokens(m);
            }
            responses.onNext(b.build());
            responses.onCompleted();
        } catch (Exception e) {
            responses.onError(Errors.toException(e));
        }
    }

    @Override
    public void simulate(SimulateRequest r, StreamObserver<SimulateResponse> responses) {
        try {
            if (r.getTop() > MAX_TOP) {
                throw new BadRequestException("top", "at most " + MAX_TOP + ", was " + r.getTop());
            }
            int top = r.getTop() == 0 ? DEFAULT_TOP : r.getTop();
            Workspaces.Workspace w = workspaces.get(r.getSpec());
            Plan plan = w.plan(threads);
            Simulation sim = Simulation.of(w.spec, plan, OpenRarity.rank(plan), top);
            responses.onNext(
                    SimulateResponse.newBuilder()
                            .setPlanHash(plan.hash())
                            .setSimulationJson(ByteString.copyFrom(sim.json()))
                            .setRarityCsv(ByteString.copyFrom(sim.rarityCsv()))
                            .setSummary(sim.summary())
                            .build());
            responses.onCompleted();
        } catch (Exception e) {
            responses.onError(Errors.toException(e));
        }
    }

    @Override
    public void run(RunRequest r, StreamObserver<RunEvent> responses) {
        ServerCallStreamObserver<RunEvent> call = (ServerCallStreamObserver<RunEvent>) responses;
        // Events after a cancel are dropped (RunProgress checks the context) rather than thrown.
        call.setOnCancelHandler(() -> {});
        Context context = Context.current();
        String dropId = NodeDrops.id(r.getSpec());
        RunProgress progress = null;
        boolean completed = false;
        try {
            Workspaces.Workspace w = workspaces.get(r.getSpec());
            NodeDrops.Drop drop = drops.open(r.getSpec());
            if (!drop.run.tryLock()) {
                throw new DropStateException(
                        "drop " + drop.id + " is already running on this node; wait for it");
            }
            try {
                String actor = actor();
                // As a local render: the reviewers' re-rolls applied first, then laid over.
                Plan plan = Rerolls.apply(drop.spec, w.plan(threads), drop.store, actor);
                progress = new RunProgress(call, context, drop.id, RenderStage.STAGE, stats);
                new RenderStage(drop.spec, drop.store)
                        .run(
                                plan,
                                w.library,
                                new StoppableBackend(w.backend, progress),
                                new RenderStage.Options(threads, r.getForce(), actor),
                                progress);
                progress.finish(Map.of());
                if (!r.getSkipQc()) {
                    progress = new RunProgress(call, context, drop.id, QcStage.STAGE, stats);
                    QcStage.Report qc =
                            new QcStage(drop.spec, drop.store)
                                    .run(
                                            plan,
                                            w.library,
                                            new QcStage.Options(threads, r.getForce(), actor),
                                            progress);
                    Map<String, Integer> verdicts = new TreeMap<>();
                    qc.verdicts().forEach((v, n) -> verdicts.put(v.name(), n));
                    progress.finish(verdicts);
                }
                progress.checkLive();
                call.onNext(RunEvent.newBuilder().setDropId(drop.id).setStage("done").build());
                call.onCompleted();
                completed = true;
            } finally {
                drop.run.unlock();
            }
        } catch (Exception e) {
            if (context.isCancelled()) {
                return; // the client is gone; what finished is kept for the next Run
            }
            StatusRuntimeException status = Errors.toException(e);
            if (progress != null) {
                progress.send(
                        progress.event()
                                .setError(io.grpc.protobuf.StatusProto.fromThrowable(status)),
                        true);
            }
            call.onError(status);
        } finally {
            stats.jobEnded(completed);
        }
    }

    /** Stops a Run's rendering within a token once its call has ended. */
    private record StoppableBackend(RenderBackend delegate, RunProgress progress)
            implements RenderBackend {
        @Override
        public byte[] render(PlannedToken token) throws Exception {
            progress.checkLive();
            return delegate.render(token);
        }

        @Override
        public byte[] renderOneOfOne(int j) throws Exception {
            progress.checkLive();
            return delegate.renderOneOfOne(j);
        }

        @Override
        public String version() {
            return delegate.version();
        }

        @Override
        public String device() {
            return delegate.device();
        }

        @Override
        public void close() {
            // The workspace owns the backend.
        }
    }

    @Override
    public void status(DropStatusRequest r, StreamObserver<DropStatusResponse> responses) {
        try {
            NodeDrops.Drop drop =
                    drops.existing(r.getSpec())
                            .orElseThrow(
                                    () -> new DropNotFoundException(NodeDrops.id(r.getSpec())));
            DropStatusResponse.Builder b =
                    DropStatusResponse.newBuilder()
                            .setDropId(drop.id)
                            .setTokens(drop.store.tokens().size())
                            .setRendered(drop.store.stageRecords(RenderStage.STAGE).size())
                            .setRunning(drop.run.isLocked());
            Map<Long, String> verdicts = drop.store.verdicts();
            b.setChecked(verdicts.size());
            Map<String, Integer> byVerdict = new TreeMap<>();
            verdicts.values().forEach(v -> byVerdict.merge(v, 1, Integer::sum));
            b.putAllVerdicts(byVerdict);
            Map<String, Integer> byDecision = new TreeMap<>();
            ReviewLog.latest(drop.store)
                    .values()
                    .forEach(e -> byDecision.merge(e.decision().specName(), 1, Integer::sum));
            b.putAllDecisions(byDecision);
            responses.onNext(b.build());
            responses.onCompleted();
        } catch (Exception e) {
            responses.onError(Errors.toException(e));
        }
    }

    @Override
    public void review(ReviewRequest r, StreamObserver<ReviewResponse> responses) {
        try {
            ReviewLog.Decision decision =
                    switch (r.getDecision()) {
                        case APPROVE -> ReviewLog.Decision.APPROVE;
                        case REJECT -> ReviewLog.Decision.REJECT;
                        case REROLL -> ReviewLog.Decision.REROLL;
                        default ->
                                throw new BadRequestException(
                                        "decision", "required: APPROVE, REJECT or REROLL");
                    };
            NodeDrops.Drop drop =
                    drops.existing(r.getSpec())
                            .orElseThrow(
                                    () -> new DropNotFoundException(NodeDrops.id(r.getSpec())));
            long id = r.getTokenId();
            String verdict = drop.store.verdicts().get(id);
            Optional<StageRecord> qc = drop.store.stageRecord(id, QcStage.STAGE);
            if (verdict == null || qc.isEmpty()) {
                boolean planned = drop.store.tokens().stream().anyMatch(t -> t.id() == id);
                if (!planned) {
                    throw new BadRequestException(
                            "token_id", "token " + id + " is not in the drop");
                }
                throw new DropStateException(
                        "token " + id + " has no QC verdict yet: Run the drop with QC first");
            }
            if (!verdict.equals("REVIEW")) {
                throw new DropStateException(
                        "token "
                                + id
                                + " was not sent to review (its QC verdict is "
                                + verdict
                                + ")");
            }
            ReviewLog.Entry e =
                    ReviewLog.record(drop.store, id, decision, actor(), qc.get().lineageHash());
            responses.onNext(
                    ReviewResponse.newBuilder()
                            .setTokenId(id)
                            .setDecision(e.decision().specName())
                            .setReviewer(e.reviewer())
                            .setQcLineage(e.qcLineage())
                            .build());
            responses.onCompleted();
        } catch (Exception e) {
            responses.onError(Errors.toException(e));
        }
    }
}

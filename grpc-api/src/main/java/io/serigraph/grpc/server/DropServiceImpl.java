package io.serigraph.grpc.server;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import io.serigraph.grpc.v1.DropServiceGrpc;
import io.serigraph.grpc.v1.PlanRequest;
import io.serigraph.grpc.v1.PlanResponse;
import io.serigraph.grpc.v1.PlannedTokenMessage;
import io.serigraph.grpc.v1.SimulateRequest;
import io.serigraph.grpc.v1.SimulateResponse;
import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.PlannedToken;
import io.serigraph.pipeline.rarity.OpenRarity;
import io.serigraph.pipeline.simulate.Simulation;

/** {@code serigraph.v1.DropService}. */
final class DropServiceImpl extends DropServiceGrpc.DropServiceImplBase {
    /** As {@code serigraph simulate --top}. */
    static final int DEFAULT_TOP = 10;

    static final int MAX_TOP = 10_000;

    private final Workspaces workspaces;
    private final int threads;

    DropServiceImpl(Workspaces workspaces, int threads) {
        this.workspaces = workspaces;
        this.threads = threads;
    }

    @Override
    public void plan(PlanRequest r, StreamObserver<PlanResponse> responses) {
        try {
            Plan plan = workspaces.get(r.getSpec()).plan(threads);
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
}

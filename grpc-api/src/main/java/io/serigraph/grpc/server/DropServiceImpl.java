package io.serigraph.grpc.server;

import io.grpc.stub.StreamObserver;
import io.serigraph.grpc.v1.DropServiceGrpc;
import io.serigraph.grpc.v1.PlanRequest;
import io.serigraph.grpc.v1.PlanResponse;
import io.serigraph.grpc.v1.PlannedTokenMessage;
import io.serigraph.pipeline.plan.Plan;
import io.serigraph.pipeline.plan.PlannedToken;

/** {@code serigraph.v1.DropService}. */
final class DropServiceImpl extends DropServiceGrpc.DropServiceImplBase {
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
}

package io.serigraph.grpc.server;

import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import io.serigraph.grpc.v1.RunEvent;
import io.serigraph.pipeline.qc.QcStage;
import io.serigraph.pipeline.render.RenderStage;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * One stage's progress events of a {@code DropService.Run}. Called from the stage's threads; sends
 * an event when the transport is ready (so a slow reader gets fewer events, never holds back the
 * work), always the stage's first and last. Throws {@link CancellationException} into the stage
 * once the call is cancelled or its deadline passed, so work stops within a token.
 */
final class RunProgress implements RenderStage.Listener, QcStage.Listener {
    private final ServerCallStreamObserver<RunEvent> call;
    private final Context context;
    private final String drop;
    private final String stage;
    private final ServerStats stats;
    private long start;
    private long done;
    private long total;
    private long skipped;

    RunProgress(
            ServerCallStreamObserver<RunEvent> call,
            Context context,
            String drop,
            String stage,
            ServerStats stats) {
        this.call = call;
        this.context = context;
        this.drop = drop;
        this.stage = stage;
        this.stats = stats;
    }

    @Override
    public synchronized void begin(int all, int toDo) {
        start = System.nanoTime();
        total = toDo;
        skipped = all - toDo;
        send(event(), true);
    }

    @Override
    public void rendered(long tokenId, long bytes) {
        stats.rendered();
        step();
    }

    @Override
    public void checked(long tokenId) {
        step();
    }

    private synchronized void step() {
        checkLive();
        done++;
        send(event(), false);
    }

    /** Throws if the call has ended. */
    void checkLive() {
        if (context.isCancelled()) {
            throw new CancellationException("the Run call ended");
        }
    }

    synchronized RunEvent.Builder event() {
        double seconds = (System.nanoTime() - start) / 1e9;
        return RunEvent.newBuilder()
                .setDropId(drop)
                .setStage(stage)
                .setDone(done)
                .setTotal(total)
                .setSkipped(skipped)
                .setRate(seconds > 0 ? done / seconds : 0);
    }

    /** The stage's last event, with QC's verdict counts when given. */
    synchronized void finish(Map<String, Integer> verdicts) {
        RunEvent.Builder e = event();
        verdicts.forEach(e::putVerdicts);
        send(e, true);
    }

    synchronized void send(RunEvent.Builder e, boolean always) {
        if (context.isCancelled() || !(always || call.isReady())) {
            return;
        }
        call.onNext(e.build());
    }
}

package io.serigraph.grpc.server;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the calls a node works on at once: one more is {@code RESOURCE_EXHAUSTED} (retry later or
 * elsewhere) instead of queueing without end. Health checks are never refused.
 */
final class CallLimitInterceptor implements ServerInterceptor {
    private final int max;
    private final AtomicInteger inFlight = new AtomicInteger();

    CallLimitInterceptor(int max) {
        this.max = max;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if ("grpc.health.v1.Health".equals(call.getMethodDescriptor().getServiceName())) {
            return next.startCall(call, headers);
        }
        if (inFlight.incrementAndGet() > max) {
            inFlight.decrementAndGet();
            call.close(
                    Status.RESOURCE_EXHAUSTED.withDescription(
                            "node busy: " + max + " calls in flight; retry later or elsewhere"),
                    new Metadata());
            return new ServerCall.Listener<>() {};
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release =
                () -> {
                    if (released.compareAndSet(false, true)) {
                        inFlight.decrementAndGet();
                    }
                };
        ServerCall.Listener<Q> delegate;
        try {
            delegate = next.startCall(call, headers);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
            @Override
            public void onComplete() {
                release.run();
                super.onComplete();
            }

            @Override
            public void onCancel() {
                release.run();
                super.onCancel();
            }
        };
    }
}

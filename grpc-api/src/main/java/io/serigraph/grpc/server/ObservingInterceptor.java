package io.serigraph.grpc.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outermost interceptor: gives every call its request id ({@link RequestIds}), counts it in
 * {@link RpcMetrics} (latency, status code, in flight) and writes one JSON line per call to the
 * {@code io.serigraph.grpc.access} logger: {@code ts}, {@code request_id}, {@code method}, {@code
 * code}, {@code duration_ms}, {@code principal}, {@code peer} and, for errors, {@code message}. It
 * runs before auth, so refused calls are counted and logged too.
 */
final class ObservingInterceptor implements ServerInterceptor {
    private static final Logger access = LoggerFactory.getLogger("io.serigraph.grpc.access");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RpcMetrics metrics;
    private final Consumer<String> log;

    /** Writes access lines to {@code log} (null: the {@code io.serigraph.grpc.access} logger). */
    ObservingInterceptor(RpcMetrics metrics, Consumer<String> log) {
        this.metrics = metrics;
        this.log = log != null ? log : access::info;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        RequestIds.Call info = new RequestIds.Call(RequestIds.of(headers));
        String id = info.id;
        String method = call.getMethodDescriptor().getFullMethodName();
        long start = System.nanoTime();
        AtomicBoolean ended = new AtomicBoolean();
        metrics.started();
        Context context = Context.current().withValue(RequestIds.KEY, info);
        ServerCall<Q, R> observed =
                new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                    private volatile boolean headersSent;

                    @Override
                    public void sendHeaders(Metadata responseHeaders) {
                        responseHeaders.put(RequestIds.HEADER, id);
                        headersSent = true;
                        super.sendHeaders(responseHeaders);
                    }

                    @Override
                    public void close(Status status, Metadata trailers) {
                        if (!headersSent) {
                            trailers.put(RequestIds.HEADER, id);
                        }
                        end(status, start, ended, method, info, call);
                        super.close(status, trailers);
                    }
                };
        ServerCall.Listener<Q> delegate = Contexts.interceptCall(context, observed, headers, next);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
            @Override
            public void onCancel() {
                Status status =
                        context.getDeadline() != null && context.getDeadline().isExpired()
                                ? Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded")
                                : Status.CANCELLED.withDescription("cancelled by the client");
                end(status, start, ended, method, info, call);
                super.onCancel();
            }
        };
    }

    private void end(
            Status status,
            long start,
            AtomicBoolean ended,
            String method,
            RequestIds.Call info,
            ServerCall<?, ?> call) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        long nanos = System.nanoTime() - start;
        metrics.ended(method, status.getCode(), nanos);

        ObjectNode line = JSON.createObjectNode();
        line.put("ts", Instant.now().toString());
        line.put("request_id", info.id);
        line.put("method", method);
        line.put("code", status.getCode().name());
        line.put("duration_ms", Math.round(nanos / 1e4) / 100.0);
        if (info.principal != null) {
            line.put("principal", info.principal);
        }
        Object peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        if (peer != null) {
            line.put("peer", peer.toString());
        }
        if (!status.isOk() && status.getDescription() != null) {
            line.put("message", status.getDescription());
        }
        log.accept(line.toString());
    }
}

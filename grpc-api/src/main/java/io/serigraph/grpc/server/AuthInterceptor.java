package io.serigraph.grpc.server;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Map;
import java.util.Optional;

/**
 * Checks the {@code authorization: Bearer TOKEN} header of every call: a missing or unknown token
 * is {@code UNAUTHENTICATED}, a token without the service's scope {@code PERMISSION_DENIED}. Health
 * checks are open so load balancers and probes need no token; reflection needs {@code admin}.
 */
public final class AuthInterceptor implements ServerInterceptor {
    /** The authenticated caller, in the call's context. */
    public static final Context.Key<BearerTokens.Principal> PRINCIPAL = Context.key("principal");

    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private static final String OPEN_SERVICE = "grpc.health.v1.Health";
    private static final Map<String, Scope> SCOPES =
            Map.of(
                    "serigraph.v1.RenderService", Scope.RENDER,
                    "serigraph.v1.DropService", Scope.DROP,
                    "serigraph.v1.InferenceService", Scope.INFER,
                    "serigraph.v1.MintService", Scope.MINT);

    private final BearerTokens tokens;

    public AuthInterceptor(BearerTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String service = call.getMethodDescriptor().getServiceName();
        if (OPEN_SERVICE.equals(service)) {
            return next.startCall(call, headers);
        }
        String header = headers.get(AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return refuse(call, Status.UNAUTHENTICATED.withDescription("missing bearer token"));
        }
        Optional<BearerTokens.Principal> who = tokens.authenticate(header.substring(7).strip());
        if (who.isEmpty()) {
            return refuse(call, Status.UNAUTHENTICATED.withDescription("unknown bearer token"));
        }
        Scope needed = SCOPES.getOrDefault(service, Scope.ADMIN);
        if (!who.get().scopes().contains(needed) && !who.get().scopes().contains(Scope.ADMIN)) {
            return refuse(
                    call,
                    Status.PERMISSION_DENIED.withDescription(
                            "token '" + who.get().name() + "' lacks scope " + needed.spelling()));
        }
        RequestIds.authenticated(who.get().name());
        return Contexts.interceptCall(
                Context.current().withValue(PRINCIPAL, who.get()), call, headers, next);
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() {};
    }
}

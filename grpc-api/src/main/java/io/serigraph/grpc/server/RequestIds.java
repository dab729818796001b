package io.serigraph.grpc.server;

import io.grpc.Context;
import io.grpc.Metadata;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The request id of a call: the client's {@code x-request-id} header when it is a plain token (at
 * most 128 of {@code [A-Za-z0-9._:-]}, so it is safe in a log line), else a new UUID. It is in the
 * call's context, in every log line about the call, and sent back in the response headers.
 */
public final class RequestIds {
    /** The header, on requests and responses. */
    public static final Metadata.Key<String> HEADER =
            Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);

    static final Context.Key<Call> KEY = Context.key("serigraph-call");

    /** What the log line of a call says about who made it; filled in as the call is admitted. */
    static final class Call {
        final String id;
        volatile String principal;

        Call(String id) {
            this.id = id;
        }
    }

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {}

    /** The id for a call with {@code headers}. */
    static String of(Metadata headers) {
        String given = headers.get(HEADER);
        return given != null && PLAIN.matcher(given).matches()
                ? given
                : UUID.randomUUID().toString();
    }

    /** The current call's request id, {@code "-"} outside a call. */
    public static String current() {
        Call call = KEY.get();
        return call == null ? "-" : call.id;
    }

    /** Records who the current call's bearer token belongs to. */
    static void authenticated(String principal) {
        Call call = KEY.get();
        if (call != null) {
            call.principal = principal;
        }
    }
}

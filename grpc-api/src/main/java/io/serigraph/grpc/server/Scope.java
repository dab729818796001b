package io.serigraph.grpc.server;

import java.util.Locale;

/** What a bearer token may do. */
public enum Scope {
    RENDER,
    INFER,
    DROP,
    MINT,
    ADMIN;

    /** The scope as written in a tokens file, e.g. {@code render}. */
    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scope written {@code s}. */
    public static Scope parse(String s) {
        for (Scope scope : values()) {
            if (scope.spelling().equals(s)) {
                return scope;
            }
        }
        throw new IllegalArgumentException(
                "unknown scope '" + s + "' (render, infer, drop, mint or admin)");
    }
}

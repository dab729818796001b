package io.serigraph.grpc.server;

import io.serigraph.pipeline.store.Hashes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The bearer tokens a node accepts, each with a name and its scopes. A tokens file has one token a
 * line: {@code NAME TOKEN SCOPE[,SCOPE...]}, e.g. {@code studio s3cr3t-value render,drop}; blank
 * lines and lines starting with {@code #} are skipped. Tokens are kept only as SHA-256 digests and
 * compared in constant time.
 */
public final class BearerTokens {
    /** A known client. */
    public record Principal(String name, Set<Scope> scopes) {
        public Principal {
            scopes = Set.copyOf(scopes);
        }
    }

    private record Entry(byte[] digest, Principal principal) {}

    private final List<Entry> entries;

    private BearerTokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Reads a tokens file; a bad line is an {@link IllegalArgumentException} naming it. */
    public static BearerTokens load(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length != 3) {
                throw new IllegalArgumentException(
                        file + ":" + (i + 1) + ": expected 'NAME TOKEN SCOPE[,SCOPE...]'");
            }
            if (parts[1].length() < 16) {
                throw new IllegalArgumentException(
                        file
                                + ":"
                                + (i + 1)
                                + ": token of '"
                                + parts[0]
                                + "' is too short (at least 16 characters)");
            }
            Set<Scope> scopes = EnumSet.noneOf(Scope.class);
            for (String s : parts[2].split(",")) {
                try {
                    scopes.add(Scope.parse(s));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            file + ":" + (i + 1) + ": " + e.getMessage());
                }
            }
            entries.add(new Entry(digest(parts[1]), new Principal(parts[0], scopes)));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(file + ": no tokens");
        }
        return new BearerTokens(entries);
    }

    /**
     * The principal {@code token} belongs to. Compares against every entry, in constant time for
     * each, whatever matches.
     */
    public Optional<Principal> authenticate(String token) {
        byte[] d = digest(token);
        Principal found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(d, e.digest) && found == null) {
                found = e.principal;
            }
        }
        return Optional.ofNullable(found);
    }

    private static byte[] digest(String token) {
        return Hashes.sha256().digest(token.getBytes(StandardCharsets.UTF_8));
    }
}

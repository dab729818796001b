package io.serigraph.chain.pin;

import java.util.List;
import java.util.Map;

/**
 * A pin request's status as the IPFS Pinning Service API reports it ({@code PinStatus}).
 *
 * @param requestId the service's id of the request
 * @param status {@code queued}, {@code pinning}, {@code pinned} or {@code failed}
 * @param created when the service took the request (ISO 8601, as sent)
 * @param cid the content pinned
 * @param name the name given, or {@code null}
 * @param delegates multiaddrs the service asks the client to connect to
 * @param info service-specific details
 */
public record PinStatus(
        String requestId,
        String status,
        String created,
        String cid,
        String name,
        List<String> delegates,
        Map<String, String> info) {

    public PinStatus {
        delegates = List.copyOf(delegates);
        info = Map.copyOf(info);
    }

    public boolean pinned() {
        return "pinned".equals(status);
    }

    public boolean failed() {
        return "failed".equals(status);
    }
}

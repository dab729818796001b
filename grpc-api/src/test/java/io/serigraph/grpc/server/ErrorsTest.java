package io.serigraph.grpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import io.serigraph.inference.InferenceException;
import io.serigraph.inference.batch.DeadlineExceededException;
import io.serigraph.inference.batch.QueueFullException;
import io.serigraph.inference.store.ModelStoreException;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** The edge mapping: explicit codes, and nothing of the node's internals in what a client gets. */
class ErrorsTest {
    private static final String SECRET_PATH = "/srv/node/secret/models/x/1/model.pt";

    private static void assertOpaque(com.google.rpc.Status s) {
        assertThat(s.getMessage())
                .doesNotContain(SECRET_PATH)
                .doesNotContain("\tat ")
                .doesNotContain("Exception")
                .contains("incident ");
        assertThat(s.toString()).doesNotContain(SECRET_PATH).doesNotContain("ErrorsTest");
    }

    @Test
    void anUnexpectedErrorIsInternalWithAnIncidentIdOnly() {
        RuntimeException bug = new NullPointerException("state at " + SECRET_PATH);
        bug.initCause(new IllegalStateException(SECRET_PATH));
        com.google.rpc.Status s = Errors.toStatus(bug);
        assertThat(s.getCode()).isEqualTo(Code.INTERNAL.getNumber());
        assertThat(s.getDetailsCount()).isZero();
        assertOpaque(s);
    }

    @Test
    void aBrokenModelIsFailedPreconditionWithoutItsPath() {
        com.google.rpc.Status s =
                Errors.toStatus(new ModelStoreException(Path.of(SECRET_PATH), "sha256 differs"));
        assertThat(s.getCode()).isEqualTo(Code.FAILED_PRECONDITION.getNumber());
        assertOpaque(s);
    }

    @Test
    void aFailingModelIsUnavailableWithoutItsMessage() {
        com.google.rpc.Status s =
                Errors.toStatus(new InferenceException("libtorch failed in " + SECRET_PATH));
        assertThat(s.getCode()).isEqualTo(Code.UNAVAILABLE.getNumber());
        assertOpaque(s);
    }

    @Test
    void queueDeadlinesCancellationAndFullQueuesHaveTheirOwnCodes() {
        assertThat(Errors.toStatus(new DeadlineExceededException("late")).getCode())
                .isEqualTo(Code.DEADLINE_EXCEEDED.getNumber());
        assertThat(Errors.toStatus(new CancellationException()).getCode())
                .isEqualTo(Code.CANCELLED.getNumber());
        assertThat(Errors.toStatus(new QueueFullException("full")).getCode())
                .isEqualTo(Code.RESOURCE_EXHAUSTED.getNumber());
        assertThat(Errors.toStatus(new ModelNotFoundException("a/b", "no a/b")).getCode())
                .isEqualTo(Code.NOT_FOUND.getNumber());
        com.google.rpc.Status bad = Errors.toStatus(new BadRequestException("top", "too big"));
        assertThat(bad.getCode()).isEqualTo(Code.INVALID_ARGUMENT.getNumber());
        assertThat(bad.getDetails(0).is(com.google.rpc.BadRequest.class)).isTrue();
    }
}

package io.serigraph.grpc.server;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ResourceInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.serigraph.chain.mint.MintException;
import io.serigraph.inference.InferenceException;
import io.serigraph.inference.batch.DeadlineExceededException;
import io.serigraph.inference.batch.QueueFullException;
import io.serigraph.inference.store.ModelStoreException;
import io.serigraph.pipeline.plan.PlanException;
import io.serigraph.pipeline.qc.QcException;
import io.serigraph.pipeline.render.RenderException;
import io.serigraph.pipeline.spec.SpecException;
import io.serigraph.pipeline.spec.SpecProblem;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Domain errors mapped to gRPC status at the edge, with details through {@code google.rpc} types.
 * Anything unexpected is logged here with an incident id and reaches the client as {@code INTERNAL}
 * with that id only: never a stack trace.
 */
final class Errors {
    private static final Logger log = LoggerFactory.getLogger(Errors.class);

    private Errors() {}

    /** The status for {@code t}. */
    static com.google.rpc.Status toStatus(Throwable t) {
        if (t instanceof StatusRuntimeException sre) {
            return StatusProto.fromThrowable(sre);
        }
        if (t instanceof SpecException e) {
            BadRequest.Builder bad = BadRequest.newBuilder();
            for (SpecProblem p : e.problems()) {
                bad.addFieldViolations(
                        BadRequest.FieldViolation.newBuilder()
                                .setField(p.field().isEmpty() ? "spec_yaml" : p.field())
                                .setDescription(p.format(e.file().toString())));
            }
            return status(Code.INVALID_ARGUMENT, e.getMessage())
                    .addDetails(Any.pack(bad.build()))
                    .build();
        }
        if (t instanceof PlanException e) {
            // The spec parses but cannot be planned; the message names the layer or setting.
            return badRequest(
                    "the spec cannot be planned: " + e.getMessage(),
                    "spec_yaml",
                    e.layer() == null
                            ? e.getMessage()
                            : "layer " + e.layer() + ": " + e.getMessage());
        }
        if (t instanceof LayerSetNotFoundException e) {
            return status(Code.NOT_FOUND, e.getMessage())
                    .addDetails(
                            Any.pack(
                                    ResourceInfo.newBuilder()
                                            .setResourceType("serigraph.v1.LayerSet")
                                            .setResourceName(e.layerSet())
                                            .setDescription("upload it with UploadLayers")
                                            .build()))
                    .build();
        }
        if (t instanceof ModelNotFoundException e) {
            return status(Code.NOT_FOUND, e.getMessage())
                    .addDetails(
                            Any.pack(
                                    ResourceInfo.newBuilder()
                                            .setResourceType("serigraph.v1.Model")
                                            .setResourceName(e.model())
                                            .setDescription(
                                                    "install it in the node's model store, or"
                                                            + " leave the field empty for the"
                                                            + " node's default")
                                            .build()))
                    .build();
        }
        if (t instanceof DropNotFoundException e) {
            return status(Code.NOT_FOUND, e.getMessage())
                    .addDetails(
                            Any.pack(
                                    ResourceInfo.newBuilder()
                                            .setResourceType("serigraph.v1.Drop")
                                            .setResourceName(e.drop())
                                            .setDescription("start it with DropService.Run")
                                            .build()))
                    .build();
        }
        if (t instanceof MintException) {
            // Written for the operator (chain, funds, key), the node's RPC URL taken out.
            boolean unreachable = t.getCause() instanceof java.io.IOException;
            return status(unreachable ? Code.UNAVAILABLE : Code.FAILED_PRECONDITION, t.getMessage())
                    .build();
        }
        if (t instanceof DropStateException) {
            return status(Code.FAILED_PRECONDITION, t.getMessage()).build();
        }
        if (t instanceof RenderException e) {
            // Its detail may name node files: logged, not sent. What finished is kept.
            return status(
                            Code.ABORTED,
                            "token "
                                    + e.tokenId()
                                    + " failed to render (incident "
                                    + incident(t)
                                    + "); the tokens done are kept, Run again to resume")
                    .build();
        }
        if (t instanceof QcException) {
            return status(
                            Code.ABORTED,
                            "QC stopped (incident "
                                    + incident(t)
                                    + "); the tokens checked are kept, Run again to resume")
                    .build();
        }
        if (t instanceof LayerSetTooLargeException || t instanceof QueueFullException) {
            return status(Code.RESOURCE_EXHAUSTED, t.getMessage()).build();
        }
        if (t instanceof BadRequestException e) {
            return badRequest(e.getMessage(), e.field(), e.description());
        }
        if (t instanceof IllegalArgumentException) {
            return badRequest(t.getMessage(), "", t.getMessage());
        }
        if (t instanceof DeadlineExceededException) {
            return status(Code.DEADLINE_EXCEEDED, "deadline exceeded before the model ran").build();
        }
        if (t instanceof CancellationException) {
            return status(Code.CANCELLED, "call cancelled").build();
        }
        if (t instanceof ModelStoreException) {
            // The message names files on the node: logged, not sent.
            String incident = incident(t);
            return status(
                            Code.FAILED_PRECONDITION,
                            "a model in the node's store cannot be used (incident "
                                    + incident
                                    + "); the node's log names the file to fix")
                    .build();
        }
        if (t instanceof InferenceException) {
            String incident = incident(t);
            return status(
                            Code.UNAVAILABLE,
                            "the model could not answer (incident " + incident + "); retry")
                    .build();
        }
        String incident = incident(t);
        return status(Code.INTERNAL, "internal error on the node (incident " + incident + ")")
                .build();
    }

    private static String incident(Throwable t) {
        String incident = UUID.randomUUID().toString();
        log.error("incident {} (request {})", incident, RequestIds.current(), t);
        return incident;
    }

    private static com.google.rpc.Status badRequest(
            String message, String field, String description) {
        BadRequest bad =
                BadRequest.newBuilder()
                        .addFieldViolations(
                                BadRequest.FieldViolation.newBuilder()
                                        .setField(field)
                                        .setDescription(description))
                        .build();
        return status(Code.INVALID_ARGUMENT, message).addDetails(Any.pack(bad)).build();
    }

    /** {@link #toStatus} as an exception to hand to {@code onError}. */
    static StatusRuntimeException toException(Throwable t) {
        if (t instanceof StatusRuntimeException sre) {
            return sre;
        }
        return StatusProto.toStatusRuntimeException(toStatus(t));
    }

    /** CANCELLED or DEADLINE_EXCEEDED, for a call whose context ended. */
    static StatusRuntimeException ended(io.grpc.Context context) {
        Throwable cause = context.cancellationCause();
        if (cause instanceof java.util.concurrent.TimeoutException) {
            return Status.DEADLINE_EXCEEDED
                    .withDescription("deadline exceeded")
                    .asRuntimeException();
        }
        return Status.CANCELLED.withDescription("call cancelled").asRuntimeException();
    }

    private static com.google.rpc.Status.Builder status(Code code, String message) {
        return com.google.rpc.Status.newBuilder().setCode(code.getNumber()).setMessage(message);
    }
}

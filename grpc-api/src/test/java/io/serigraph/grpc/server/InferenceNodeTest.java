package io.serigraph.grpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.rpc.BadRequest;
import com.google.rpc.ResourceInfo;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.serigraph.engine.image.RgbaImage;
import io.serigraph.engine.png.PngDecoder;
import io.serigraph.grpc.Fixtures;
import io.serigraph.grpc.client.BearerCredentials;
import io.serigraph.grpc.client.RemoteScoreBackend;
import io.serigraph.grpc.v1.EmbedRequest;
import io.serigraph.grpc.v1.EmbedResponse;
import io.serigraph.grpc.v1.InferenceServiceGrpc;
import io.serigraph.grpc.v1.ScoreRequest;
import io.serigraph.grpc.v1.ScoreResponse;
import io.serigraph.inference.batch.BatchMetrics;
import io.serigraph.inference.batch.BatchPolicy;
import io.serigraph.inference.clip.ClipModel;
import io.serigraph.inference.score.AestheticScorer;
import io.serigraph.inference.score.PromptAlignment;
import io.serigraph.inference.score.ScoringModel;
import io.serigraph.inference.store.ModelStore;
import io.serigraph.pipeline.qc.ScoreBackend;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * InferenceService on a real node on 127.0.0.1 (Netty, port 0) with the generated client and the
 * tiny real models through libtorch: answers equal the in-process models', concurrent requests
 * batch, errors carry details and no node internals, auth per scope, deadlines reach the batcher,
 * request ids and access lines, and {@code /metrics}.
 */
class InferenceNodeTest {
    private static final String INFER_TOKEN = "infer-token-0123456789ab";
    private static final String RENDER_TOKEN = "render-token-0123456789a";
    private static final String EMBED = "serigraph.v1.InferenceService/Embed";
    private static final String SCORE = "serigraph.v1.InferenceService/Score";

    /** Long enough that concurrent requests meet in one batch; a full batch runs at once. */
    private static final Duration BATCH_DELAY = Duration.ofMillis(500);

    private static final int CONCURRENT = 8;

    private static final int MAX_MESSAGE = 1024 * 1024;

    @TempDir static Path dir;

    private static SerigraphServer server;
    private static ManagedChannel channel;
    private static MetricsEndpoint metrics;
    private static ModelStore localStore;
    private static ClipModel localClip;
    private static AestheticScorer localHead;
    private static byte[] pngA;
    private static byte[] pngB;
    private static final ConcurrentLinkedQueue<String> accessLines = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws Exception {
        Path models = dir.resolve("models");
        copyTree(Fixtures.MODELS, models);
        // An entry whose weights do not match their recorded hash: unusable.
        copyTree(Fixtures.MODELS.resolve("clip-tiny-image"), models.resolve("clip-broken-image"));
        copyTree(Fixtures.MODELS.resolve("clip-tiny-text"), models.resolve("clip-broken-text"));
        Files.write(
                models.resolve("clip-broken-image/1/model.pt"),
                new byte[] {1, 2, 3},
                java.nio.file.StandardOpenOption.APPEND);
        Path tokens = dir.resolve("tokens");
        Files.writeString(
                tokens,
                "scorer " + INFER_TOKEN + " infer\nrenderer " + RENDER_TOKEN + " render\n",
                StandardCharsets.UTF_8);
        server =
                SerigraphServer.builder(NodeCalls.loopback())
                        .setLayerDir(dir.resolve("node"))
                        .optDevice(Fixtures.DEVICE)
                        .optThreads(CONCURRENT)
                        .optMaxMessageBytes(MAX_MESSAGE)
                        .optTokens(BearerTokens.load(tokens))
                        .optModels(
                                InferenceModels.open(
                                        models,
                                        InferenceModels.DEFAULT_CLIP,
                                        InferenceModels.DEFAULT_AESTHETIC,
                                        new BatchPolicy(CONCURRENT, BATCH_DELAY, 64)))
                        .optAccessLog(accessLines::add)
                        .optShutdownGrace(Duration.ofSeconds(5))
                        .start();
        assertThat(server.awaitWarm(Duration.ofMinutes(2))).isTrue();
        channel = NodeCalls.channel(server);
        metrics = MetricsEndpoint.start(new InetSocketAddress("127.0.0.1", 0), server.stats());
        localStore = ModelStore.open(Fixtures.MODELS);
        localClip = ClipModel.load(localStore, "clip-tiny", "1");
        localHead = AestheticScorer.load(localStore, "aesthetic-tiny", "1");
        pngA = Files.readAllBytes(Fixtures.REFERENCE.resolve("fixture-a.png"));
        pngB = Files.readAllBytes(Fixtures.REFERENCE.resolve("fixture-b.png"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (metrics != null) {
            metrics.close();
        }
        if (server != null) {
            server.close();
        }
        if (localClip != null) {
            localClip.close();
            localHead.close();
            localStore.close();
        }
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    private static InferenceServiceGrpc.InferenceServiceBlockingStub stub(String token) {
        InferenceServiceGrpc.InferenceServiceBlockingStub s =
                InferenceServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(2, TimeUnit.MINUTES);
        return token == null ? s : s.withCallCredentials(new BearerCredentials(token));
    }

    private static RgbaImage decode(byte[] png) throws Exception {
        return new PngDecoder().decode(png);
    }

    /** Nothing of the node's internals reaches a client. */
    private static StatusRuntimeException failure(ThrowingCallable call) {
        return NodeCalls.failure(call, dir.toString(), "Exception");
    }

    private static float[] floats(List<Float> v) {
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i);
        }
        return out;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }

    @Test
    void embedAnswersTheModelsOwnNormalizedEmbeddings() throws Exception {
        EmbedResponse r =
                stub(INFER_TOKEN)
                        .embed(
                                EmbedRequest.newBuilder()
                                        .addImages(ByteString.copyFrom(pngA))
                                        .addImages(ByteString.copyFrom(pngB))
                                        .addTexts("a cat in a red hat")
                                        .addTexts("")
                                        .build());
        assertThat(r.getModel()).isEqualTo("clip-tiny/1");
        assertThat(r.getDimension()).isEqualTo(localClip.dimension());
        assertThat(r.getImagesCount()).isEqualTo(2);
        assertThat(r.getTextsCount()).isEqualTo(2);
        float[] a = floats(r.getImages(0).getValuesList());
        assertThat(maxAbsDiff(a, localClip.embedImage(decode(pngA)))).isLessThan(1e-5);
        assertThat(
                        maxAbsDiff(
                                floats(r.getImages(1).getValuesList()),
                                localClip.embedImage(decode(pngB))))
                .isLessThan(1e-5);
        assertThat(
                        maxAbsDiff(
                                floats(r.getTexts(0).getValuesList()),
                                localClip.embedText("a cat in a red hat")))
                .isLessThan(1e-5);
        double norm = 0;
        for (float x : a) {
            norm += (double) x * x;
        }
        assertThat(Math.sqrt(norm)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(r.getDevice()).isNotEmpty();
    }

    @Test
    void concurrentScoresBatchAndEqualTheLocalScores() throws Exception {
        InferenceServiceGrpc.InferenceServiceFutureStub async =
                InferenceServiceGrpc.newFutureStub(channel)
                        .withCallCredentials(new BearerCredentials(INFER_TOKEN))
                        .withDeadlineAfter(2, TimeUnit.MINUTES);
        long batchesBefore = imageMetrics().batches();
        long requestsBefore = imageMetrics().batchedRequests();
        List<com.google.common.util.concurrent.ListenableFuture<ScoreResponse>> calls =
                new ArrayList<>();
        for (int i = 0; i < CONCURRENT; i++) {
            calls.add(
                    async.score(
                            ScoreRequest.newBuilder()
                                    .setImage(ByteString.copyFrom(i % 2 == 0 ? pngA : pngB))
                                    .addPrompts("a red hat")
                                    .addPrompts("a crown")
                                    .build()));
        }
        float[] embA = localClip.embedImage(decode(pngA));
        float[] embB = localClip.embedImage(decode(pngB));
        for (int i = 0; i < CONCURRENT; i++) {
            ScoreResponse r = calls.get(i).get(2, TimeUnit.MINUTES);
            float[] emb = i % 2 == 0 ? embA : embB;
            assertThat(r.getAesthetic())
                    .isCloseTo(localHead.score(emb), org.assertj.core.data.Offset.offset(1e-5));
            PromptAlignment.Alignment hat =
                    PromptAlignment.of(emb, localClip.embedText("a red hat"));
            assertThat(r.getPrompts(0).getPrompt()).isEqualTo("a red hat");
            assertThat(r.getPrompts(0).getCosine())
                    .isCloseTo(hat.cosine(), org.assertj.core.data.Offset.offset(1e-5));
            assertThat(r.getPrompts(0).getClipScore())
                    .isCloseTo(hat.clipScore(), org.assertj.core.data.Offset.offset(1e-5));
            assertThat(r.getClipModel()).isEqualTo("clip-tiny/1");
            assertThat(r.getAestheticModel()).isEqualTo("aesthetic-tiny/1");
        }
        BatchMetrics after = imageMetrics();
        assertThat(after.batchedRequests() - requestsBefore).isEqualTo(CONCURRENT);
        // Eight requests in fewer than eight batches: at least two ran together.
        assertThat(after.batches() - batchesBefore).isLessThan(CONCURRENT);
    }

    private static BatchMetrics imageMetrics() {
        return server.stats().models().loaded().get("clip-tiny-image/1").metrics();
    }

    private static BatchMetrics textMetrics() {
        return server.stats().models().loaded().get("clip-tiny-text/1").metrics();
    }

    @Test
    void theRemoteScoreBackendAnswersAsTheLocalModels() throws Exception {
        try (RemoteScoreBackend remote =
                RemoteScoreBackend.builder(channel, "clip-tiny/1", "aesthetic-tiny/1")
                        .optToken(INFER_TOKEN)
                        .optDeadline(Duration.ofMinutes(2))
                        .build()) {
            float[] local = localClip.embedImage(decode(pngA));
            assertThat(maxAbsDiff(remote.embedding(pngA), local)).isLessThan(1e-5);
            assertThat(remote.aesthetic(pngA))
                    .isCloseTo(localHead.score(local), org.assertj.core.data.Offset.offset(1e-5));
            assertThat(remote.promptAlignment(pngA, "a red hat"))
                    .isCloseTo(
                            PromptAlignment.of(local, localClip.embedText("a red hat")).cosine(),
                            org.assertj.core.data.Offset.offset(1e-5));
            assertThat(remote.version()).isEqualTo("clip=clip-tiny/1;aesthetic=aesthetic-tiny/1");
            ScoreBackend.ImageScores both = remote.score(pngA);
            assertThat(maxAbsDiff(both.embedding(), local)).isLessThan(1e-5);
            assertThat(both.aesthetic())
                    .isCloseTo(localHead.score(local), org.assertj.core.data.Offset.offset(1e-5));
            assertThat(
                            maxAbsDiff(
                                    remote.textEmbedding("a red hat"),
                                    localClip.embedText("a red hat")))
                    .isLessThan(1e-5);
            assertThat(remote.scoresAesthetics()).isTrue();
            assertThat(remote.modelSha256())
                    .isEqualTo(ScoringModel.weightsSha256(localClip, localHead))
                    .matches("[0-9a-f]{64}");
        }
        try (RemoteScoreBackend unknown =
                RemoteScoreBackend.builder(channel, "clip-vit-h-14/none", "aesthetic-tiny/1")
                        .optToken(INFER_TOKEN)
                        .build()) {
            assertThat(failure(() -> unknown.embedding(pngA)).getStatus().getCode())
                    .isEqualTo(Status.Code.NOT_FOUND);
        }
        assertThatThrownBy(() -> RemoteScoreBackend.builder(channel, "clip-tiny", "a/1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("<name>/<version>");
    }

    @Test
    void badInputsAreInvalidArgumentNamingTheField() {
        StatusRuntimeException e =
                failure(
                        () ->
                                stub(INFER_TOKEN)
                                        .embed(
                                                EmbedRequest.newBuilder()
                                                        .addImages(ByteString.copyFrom(pngA))
                                                        .addImages(
                                                                ByteString.copyFromUtf8(
                                                                        "not a png"))
                                                        .build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(violation(e).getField()).isEqualTo("images[1]");

        e = failure(() -> stub(INFER_TOKEN).embed(EmbedRequest.getDefaultInstance()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(violation(e).getField()).isEqualTo("images");

        e = failure(() -> stub(INFER_TOKEN).score(ScoreRequest.getDefaultInstance()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(violation(e).getField()).isEqualTo("image");

        e =
                failure(
                        () ->
                                stub(INFER_TOKEN)
                                        .embed(
                                                EmbedRequest.newBuilder()
                                                        .setModel("../../etc")
                                                        .addTexts("x")
                                                        .build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    private static BadRequest.FieldViolation violation(StatusRuntimeException e) {
        return NodeCalls.violation(e);
    }

    @Test
    void anOversizedRequestIsResourceExhausted() {
        StatusRuntimeException e =
                failure(
                        () ->
                                stub(INFER_TOKEN)
                                        .score(
                                                ScoreRequest.newBuilder()
                                                        .setImage(
                                                                ByteString.copyFrom(
                                                                        new byte[2 * MAX_MESSAGE]))
                                                        .build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    }

    @Test
    void unknownModelIsNotFoundAndABrokenOneFailedPreconditionWithoutNodePaths() throws Exception {
        StatusRuntimeException e =
                failure(
                        () ->
                                stub(INFER_TOKEN)
                                        .embed(
                                                EmbedRequest.newBuilder()
                                                        .setModel("clip-vit-h-14/none")
                                                        .addTexts("x")
                                                        .build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        ResourceInfo info = StatusProto.fromThrowable(e).getDetails(0).unpack(ResourceInfo.class);
        assertThat(info.getResourceType()).isEqualTo("serigraph.v1.Model");
        assertThat(info.getResourceName()).isEqualTo("clip-vit-h-14/none");

        e =
                failure(
                        () ->
                                stub(INFER_TOKEN)
                                        .embed(
                                                EmbedRequest.newBuilder()
                                                        .setModel("clip-broken/1")
                                                        .addTexts("x")
                                                        .build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(e.getStatus().getDescription()).contains("incident");
    }

    @Test
    void authPerScope() {
        StatusRuntimeException e =
                failure(() -> stub(null).embed(EmbedRequest.newBuilder().addTexts("x").build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        e =
                failure(
                        () ->
                                stub("wrong-token-0123456789ab")
                                        .score(
                                                ScoreRequest.newBuilder()
                                                        .setImage(ByteString.copyFrom(pngA))
                                                        .build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        e =
                failure(
                        () ->
                                stub(RENDER_TOKEN)
                                        .embed(EmbedRequest.newBuilder().addTexts("x").build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(e.getStatus().getDescription()).contains("infer");
    }

    @Test
    void aDeadlineThatPassesInTheBatcherQueueIsDeadlineExceeded() throws Exception {
        stub(INFER_TOKEN).embed(EmbedRequest.newBuilder().addTexts("warm").build());
        RpcMetrics rpc = server.stats().rpc();
        Set<Status.Code> late = Set.of(Status.Code.DEADLINE_EXCEEDED, Status.Code.CANCELLED);
        long ended = late.stream().mapToLong(c -> rpc.ended(EMBED, c)).sum();
        // Shorter than the batch delay: the request waits in the queue past its deadline.
        StatusRuntimeException e =
                failure(
                        () ->
                                InferenceServiceGrpc.newBlockingStub(channel)
                                        .withCallCredentials(new BearerCredentials(INFER_TOKEN))
                                        .withDeadlineAfter(
                                                BATCH_DELAY.toMillis() / 2, TimeUnit.MILLISECONDS)
                                        .embed(EmbedRequest.newBuilder().addTexts("late").build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        // The server ends the call too, without running the model: as DEADLINE_EXCEEDED when its
        // own copy of the deadline expires first, or as CANCELLED when the client's cancellation
        // at its deadline arrives first (the server's copy starts when the call arrives, a little
        // later: on a loaded machine, CI's, the cancellation can win).
        assertThat(rpc.awaitEnded(EMBED, late, ended + 1, 60_000))
                .as("the server ended the late call")
                .isTrue();
        // The node goes on answering.
        assertThat(
                        stub(INFER_TOKEN)
                                .embed(EmbedRequest.newBuilder().addTexts("next").build())
                                .getTextsCount())
                .isEqualTo(1);
    }

    @Test
    void requestIdsAreEchoedAndInTheJsonAccessLines() throws Exception {
        Metadata headers = new Metadata();
        headers.put(RequestIds.HEADER, "studio-req-42");
        AtomicReference<Metadata> answered = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        stub(INFER_TOKEN)
                .withInterceptors(
                        MetadataUtils.newAttachHeadersInterceptor(headers),
                        MetadataUtils.newCaptureMetadataInterceptor(answered, trailers))
                .embed(EmbedRequest.newBuilder().addTexts("x").build());
        assertThat(answered.get().get(RequestIds.HEADER)).isEqualTo("studio-req-42");
        assertThat(accessLines)
                .anySatisfy(
                        l ->
                                assertThat(l)
                                        .startsWith("{")
                                        .contains("\"request_id\":\"studio-req-42\"")
                                        .contains("\"method\":\"" + EMBED + "\"")
                                        .contains("\"code\":\"OK\"")
                                        .contains("\"principal\":\"scorer\""));

        // One unfit for a log line is replaced by a new id; so is none.
        Metadata unfit = new Metadata();
        unfit.put(RequestIds.HEADER, "line\"break");
        stub(INFER_TOKEN)
                .withInterceptors(
                        MetadataUtils.newAttachHeadersInterceptor(unfit),
                        MetadataUtils.newCaptureMetadataInterceptor(answered, trailers))
                .embed(EmbedRequest.newBuilder().addTexts("x").build());
        String made = answered.get().get(RequestIds.HEADER);
        assertThat(made).matches("[0-9a-f-]{36}");
        assertThat(accessLines)
                .anySatisfy(l -> assertThat(l).contains("\"request_id\":\"" + made + "\""));
        // A refused call is logged too, and its id reaches the client in the trailers.
        failure(
                () ->
                        stub(RENDER_TOKEN)
                                .withInterceptors(
                                        MetadataUtils.newCaptureMetadataInterceptor(
                                                answered, trailers))
                                .embed(EmbedRequest.newBuilder().addTexts("x").build()));
        String refused = trailers.get().get(RequestIds.HEADER);
        assertThat(refused).isNotNull();
        assertThat(accessLines)
                .anySatisfy(
                        l ->
                                assertThat(l)
                                        .contains("\"request_id\":\"" + refused + "\"")
                                        .contains("\"code\":\"PERMISSION_DENIED\""));
    }

    @Test
    void metricsScrapeInPrometheusTextFormat() throws Exception {
        stub(INFER_TOKEN)
                .score(ScoreRequest.newBuilder().setImage(ByteString.copyFrom(pngA)).build());
        failure(
                () ->
                        stub(RENDER_TOKEN)
                                .score(
                                        ScoreRequest.newBuilder()
                                                .setImage(ByteString.copyFrom(pngA))
                                                .build()));
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:"
                                                                + metrics.port()
                                                                + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
        String text = r.body();
        Pattern line =
                Pattern.compile(
                        "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\",?)*\\})?"
                                + " (-?[0-9.]+(E-?[0-9]+)?|\\+Inf|NaN)");
        for (String l : text.split("\n")) {
            if (!l.startsWith("# HELP ") && !l.startsWith("# TYPE ")) {
                assertThat(l).matches(line);
            }
        }
        assertThat(value(text, "serigraph_rpc_duration_seconds_count{method=\"" + SCORE + "\"}"))
                .isGreaterThanOrEqualTo(2);
        assertThat(
                        value(
                                text,
                                "serigraph_rpc_duration_seconds_bucket{method=\""
                                        + SCORE
                                        + "\",le=\"+Inf\"}"))
                .isEqualTo(
                        value(
                                text,
                                "serigraph_rpc_duration_seconds_count{method=\"" + SCORE + "\"}"));
        assertThat(
                        value(
                                text,
                                "serigraph_rpc_handled_total{method=\""
                                        + SCORE
                                        + "\",code=\"PERMISSION_DENIED\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(value(text, "serigraph_rpc_errors_total{code=\"PERMISSION_DENIED\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(value(text, "serigraph_inference_batch_size_count{model=\"clip-tiny-image/1\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(text)
                .contains("serigraph_rpc_in_flight ")
                .contains("serigraph_call_queue_depth ")
                .contains("serigraph_inference_queue_depth{model=\"aesthetic-tiny/1\"} ")
                .contains("serigraph_render_tokens_per_second ")
                .contains("serigraph_compute_device_info{backend=\"")
                .contains("serigraph_inference_device_info{model=\"clip-tiny-text/1\",device=\"");
    }

    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertThat(m.find()).as("series %s in%n%s", series, text).isTrue();
        return Double.parseDouble(m.group(1));
    }
}

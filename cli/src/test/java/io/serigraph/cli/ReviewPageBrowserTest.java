package io.serigraph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.serigraph.pipeline.qc.ReviewLog;
import io.serigraph.pipeline.qc.ReviewQueue;
import io.serigraph.pipeline.spec.CollectionSpec;
import io.serigraph.pipeline.spec.SpecLoader;
import io.serigraph.pipeline.store.AuditEvent;
import io.serigraph.pipeline.store.DropStore;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntBinaryOperator;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The review page in a real browser: headless Chromium clicks approve, reject, re-roll and the bulk
 * decisions by check on a real rendered and checked drop; the decisions must land in the state
 * store's audit log with the reviewer, and forged requests must change nothing.
 */
class ReviewPageBrowserTest {
    private static final int S = 16;

    @TempDir Path dir;

    @RegisterExtension final ConsoleCapture console = new ConsoleCapture();

    private static void trait(Path drop, String name, IntBinaryOperator argb) throws Exception {
        BufferedImage img = new BufferedImage(S, S, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
                img.setRGB(x, y, argb.applyAsInt(x, y));
            }
        }
        Files.createDirectories(drop.resolve("layers/Base"));
        ImageIO.write(img, "png", drop.resolve("layers/Base/" + name + ".png").toFile());
    }

    private static int grey(int g) {
        return 0xFF000000 | g << 16 | g << 8 | g;
    }

    /**
     * Five tokens, one per trait: three flat greys (QC: blank, REVIEW) and two textures with a
     * transparent hole (alpha_coverage, made REVIEW in the spec).
     */
    private Path drop() throws Exception {
        Path drop = dir.resolve("drop");
        trait(drop, "Fog", (x, y) -> grey(128));
        trait(drop, "Mist", (x, y) -> grey(90));
        trait(drop, "Haze", (x, y) -> grey(160));
        trait(
                drop,
                "Checks",
                (x, y) -> x < 4 && y < 4 ? 0 : grey((x / 2 + y / 2) % 2 == 0 ? 40 : 200));
        trait(drop, "Bars", (x, y) -> x >= 12 && y >= 12 ? 0 : grey(x / 3 % 2 == 0 ? 60 : 190));
        Files.writeString(
                drop.resolve("serigraph.yaml"),
                "name: Review <Test>\nsymbol: RVW\nsize: 5\nseed: 7\n"
                        + "canvas: {width: 16, height: 16}\n"
                        + "layers: [{name: Base, dir: layers/Base}]\n"
                        + "qc:\n  alpha_coverage: {tier: review}\n  near_duplicate: {tier: off}\n");
        assertThat(Main.run("render", drop.toString(), "--threads", "1")).isEqualTo(ExitCodes.OK);
        assertThat(Main.run("qc", drop.toString(), "--threads", "1")).isEqualTo(ExitCodes.OK);
        return drop;
    }

    /** Token ids awaiting a decision that QC flagged with {@code check}, ascending. */
    private static List<Long> flaggedBy(List<ReviewQueue.Item> items, String check) {
        List<Long> out = new ArrayList<>();
        for (ReviewQueue.Item i : items) {
            if (i.flaggedBy(check)) {
                out.add(i.tokenId());
            }
        }
        return out;
    }

    /** Clicks a submit button and waits until the page it leads to has replaced this one. */
    private static void click(WebDriver browser, String id) {
        WebElement page = browser.findElement(By.tagName("html"));
        browser.findElement(By.id(id)).click();
        new WebDriverWait(browser, Duration.ofSeconds(60))
                .until(ExpectedConditions.stalenessOf(page));
    }

    @Test
    void decisionsMadeInTheBrowserLandInTheAuditLog() throws Exception {
        Chromium.require();
        Path drop = drop();
        CollectionSpec spec = SpecLoader.load(drop.resolve("serigraph.yaml"));
        try (DropStore store = DropStore.open(spec.outDir().resolve("drop.db"));
                ReviewPage page = ReviewPage.start(spec, store, "carol", 0)) {
            List<ReviewQueue.Item> before = new ReviewQueue(spec, store).pending();
            List<Long> blank = flaggedBy(before, "blank");
            List<Long> holed = flaggedBy(before, "alpha_coverage");
            assertThat(blank).hasSize(3);
            assertThat(holed).hasSize(2);
            assertThat(page.uri().toString()).startsWith("http://127.0.0.1:");

            forgeriesChangeNothing(page.uri(), store, blank.get(0));

            WebDriver browser = Chromium.start(dir.resolve("profile"));
            try {
                browser.get(page.uri().toString());
                assertThat(browser.getTitle()).isEqualTo("serigraph review");
                assertThat(browser.findElement(By.tagName("h1")).getText())
                        .isEqualTo("Review: Review <Test>");
                assertThat(browser.findElement(By.id("summary")).getText())
                        .contains("5 tokens await a decision")
                        .contains("carol");
                WebElement first = browser.findElement(By.id("token-" + blank.get(0)));
                assertThat(first.getText()).contains("blank").contains("REVIEW");
                assertThat(browser.findElement(By.id("token-" + holed.get(0))).getText())
                        .contains("alpha_coverage")
                        .contains("above 0");
                Object loaded =
                        ((JavascriptExecutor) browser)
                                .executeScript(
                                        "return Array.from(document.images).every("
                                                + "i => i.complete && i.naturalWidth === "
                                                + S
                                                + ");");
                assertThat(loaded).isEqualTo(true);

                // One at a time: approve, reject, re-roll.
                click(browser, "approve-" + blank.get(0));
                assertThat(browser.findElement(By.id("message")).getText())
                        .isEqualTo("token " + blank.get(0) + ": approved");
                assertThat(browser.findElements(By.id("token-" + blank.get(0)))).isEmpty();
                click(browser, "reject-" + blank.get(1));
                click(browser, "reroll-" + holed.get(0));
                assertThat(browser.findElement(By.id("summary")).getText())
                        .contains("2 tokens await a decision");

                // In bulk by check: the rest of each check's tokens at once.
                click(browser, "bulk-approve-alpha_coverage");
                assertThat(browser.findElement(By.id("message")).getText())
                        .isEqualTo("1 token flagged by alpha_coverage: approved");
                click(browser, "bulk-reject-blank");
                assertThat(browser.findElement(By.id("summary")).getText())
                        .contains("0 tokens await a decision");
                assertThat(browser.findElements(By.cssSelector("section.token"))).isEmpty();

                CompletableFuture<Void> finished =
                        CompletableFuture.runAsync(
                                () -> {
                                    try {
                                        page.awaitFinish();
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                });
                click(browser, "finish");
                assertThat(browser.findElement(By.tagName("h1")).getText())
                        .isEqualTo("Review finished");
                finished.get(60, TimeUnit.SECONDS);
            } finally {
                browser.quit();
            }

            Map<Long, ReviewLog.Entry> decided = ReviewLog.latest(store);
            assertThat(decided).hasSize(5);
            assertThat(decided.get(blank.get(0)).decision()).isEqualTo(ReviewLog.Decision.APPROVE);
            assertThat(decided.get(blank.get(1)).decision()).isEqualTo(ReviewLog.Decision.REJECT);
            assertThat(decided.get(blank.get(2)).decision()).isEqualTo(ReviewLog.Decision.REJECT);
            assertThat(decided.get(holed.get(0)).decision()).isEqualTo(ReviewLog.Decision.REROLL);
            assertThat(decided.get(holed.get(1)).decision()).isEqualTo(ReviewLog.Decision.APPROVE);
            assertThat(decided.values())
                    .allSatisfy(e -> assertThat(e.reviewer()).isEqualTo("carol"));
            for (ReviewQueue.Item i : before) {
                assertThat(decided.get(i.tokenId()).qcLineage()).isEqualTo(i.qcLineage());
            }
            List<AuditEvent> events =
                    store.audit().stream().filter(e -> e.event().equals(ReviewLog.EVENT)).toList();
            assertThat(events).hasSize(5);
            assertThat(events).allSatisfy(e -> assertThat(e.at()).isNotBlank());
            assertThat(store.verifyAudit().intact()).isTrue();
            assertThat(new ReviewQueue(spec, store).pending()).isEmpty();
            assertThat(page.counts())
                    .containsEntry(ReviewLog.Decision.APPROVE, 2)
                    .containsEntry(ReviewLog.Decision.REJECT, 2)
                    .containsEntry(ReviewLog.Decision.REROLL, 1);
        }
    }

    /** Requests not made by the page itself are refused and record nothing. */
    private static void forgeriesChangeNothing(URI uri, DropStore store, long token)
            throws Exception {
        int events = store.audit().size();
        HttpClient http = HttpClient.newHttpClient();
        String form = "token=" + token + "&decision=approve";
        // No page token.
        assertThat(post(http, uri.resolve("/decide"), form, null).statusCode()).isEqualTo(403);
        // A wrong page token.
        assertThat(post(http, uri.resolve("/decide"), form + "&csrf=00", null).statusCode())
                .isEqualTo(403);
        // Another origin, even with a token (read from the page as an attacker cannot).
        String csrf = csrfOf(http.send(HttpRequest.newBuilder(uri).build(), body()).body());
        assertThat(
                        post(
                                        http,
                                        uri.resolve("/decide"),
                                        form + "&csrf=" + csrf,
                                        "http://evil.example")
                                .statusCode())
                .isEqualTo(403);
        // Decisions are POST only.
        assertThat(
                        http.send(HttpRequest.newBuilder(uri.resolve("/decide")).build(), body())
                                .statusCode())
                .isEqualTo(405);
        // A request by another host name (DNS rebinding) is refused.
        try (Socket s = new Socket("127.0.0.1", uri.getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(
                    ("GET / HTTP/1.1\r\nHost: evil.example:" + uri.getPort() + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status =
                    new BufferedReader(
                                    new InputStreamReader(
                                            s.getInputStream(), StandardCharsets.US_ASCII))
                            .readLine();
            assertThat(status).startsWith("HTTP/1.1 403");
        }
        // Images only of the drop's tokens, by id.
        assertThat(
                        http.send(
                                        HttpRequest.newBuilder(uri.resolve("/images/..%2Fdrop.db"))
                                                .build(),
                                        body())
                                .statusCode())
                .isEqualTo(404);
        assertThat(store.audit()).hasSize(events);
        // The page's own token works.
        assertThat(
                        post(http, uri.resolve("/decide"), "decision=nope&csrf=" + csrf, null)
                                .statusCode())
                .isEqualTo(303);
        assertThat(store.audit()).hasSize(events);
    }

    private static HttpResponse.BodyHandler<String> body() {
        return HttpResponse.BodyHandlers.ofString();
    }

    private static HttpResponse<String> post(HttpClient http, URI to, String form, String origin)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(to)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form));
        if (origin != null) {
            b.header("Origin", origin);
        }
        return http.send(b.build(), body());
    }

    private static String csrfOf(String html) {
        String marker = "name=\"csrf\" value=\"";
        int i = html.indexOf(marker);
        assertThat(i).isPositive();
        return html.substring(i + marker.length(), html.indexOf('"', i + marker.length()));
    }
}

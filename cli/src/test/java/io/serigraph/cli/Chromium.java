package io.serigraph.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The one place tests start a browser: Debian's headless Chromium driven through its own
 * chromedriver (never a driver or browser downloaded by Selenium Manager). Where either is missing
 * the test is <b>skipped</b> with a loud reason naming what to install; CI installs both ({@code
 * .ci/run}) so nothing is skipped there.
 */
final class Chromium {
    static final Path BINARY = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Chromium() {}

    /** Skips the calling test, loudly, when Chromium or its driver is not installed. */
    static void require() {
        boolean present = Files.isExecutable(BINARY) && Files.isExecutable(DRIVER);
        String reason =
                "SKIPPED: the review page's browser test needs "
                        + BINARY
                        + " and "
                        + DRIVER
                        + "; install them with 'apt-get install chromium chromium-driver'";
        if (!present) {
            System.err.println("*** " + reason + " ***");
        }
        assumeTrue(present, reason);
    }

    /** A headless Chromium with a fresh profile in {@code profile}; quit it when done. */
    static WebDriver start(Path profile) {
        require();
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(new File(DRIVER.toString()))
                        .usingAnyFreePort()
                        .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        return driver;
    }
}

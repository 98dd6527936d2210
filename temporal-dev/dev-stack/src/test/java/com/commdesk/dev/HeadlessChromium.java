package com.commdesk.dev;

import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium through Debian's chromedriver, headless, with a fresh profile: the driver's path
 * is given, so Selenium Manager never downloads a browser or a driver.
 */
final class HeadlessChromium {
    private HeadlessChromium() {}

    static WebDriver start(String windowSize) throws java.io.IOException {
        Path userData = Files.createTempDirectory("commdesk-chromium-");
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium").addArguments("--headless", "--no-sandbox",
                "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--disable-dev-shm-usage", "--window-size=" + windowSize, "--user-data-dir=" + userData);
        ChromeDriverService driver = new ChromeDriverService.Builder().usingDriverExecutable(new java.io.File("/usr/bin/chromedriver")).build();
        return new ChromeDriver(driver, options);
    }
}

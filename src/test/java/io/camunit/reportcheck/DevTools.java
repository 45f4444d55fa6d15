package io.camunit.reportcheck;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A headless Chromium driven through the Chrome DevTools Protocol over the JDK's own HTTP and
 * WebSocket clients: no browser driver and no extra library. The browser runs with a new, empty
 * profile directory and a DevTools port on the loopback interface chosen by Chromium itself.
 *
 * <pre>{@code
 * try (DevTools browser = DevTools.launch(Path.of("/usr/bin/chromium"), 1400, 1000)) {
 *     browser.navigate("file:///tmp/report/index.html");
 *     browser.waitFor("document.querySelector('.side-nav') !== null", Duration.ofSeconds(20));
 *     Files.write(Path.of("shot.png"), browser.screenshot());
 * }
 * }</pre>
 */
final class DevTools implements AutoCloseable {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path profile;
    /** Set once, right after the connection opens and before any command is sent. */
    private volatile WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();

    private DevTools(Process process, Path profile) {
        this.process = process;
        this.profile = profile;
    }

    /**
     * Starts Chromium headless on an empty page and connects to that page.
     *
     * @param chromium the browser's executable
     * @param width viewport width in CSS pixels
     * @param height viewport height in CSS pixels
     * @return the connected browser
     * @throws IOException when the browser does not start or offers no page within 30 s
     */
    static DevTools launch(Path chromium, int width, int height) throws IOException {
        Path profile = Files.createTempDirectory("camunit-chromium-");
        List<String> command = new ArrayList<>(List.of(chromium.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--window-size=" + width + "," + height, "--hide-scrollbars", "about:blank"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile()).start();
        try {
            int port = devToolsPort(process, profile.resolve("DevToolsActivePort"));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String pageSocket = pageSocket(http, port);
            DevTools browser = new DevTools(process, profile);
            browser.socket = http.newWebSocketBuilder()
                    .buildAsync(URI.create(pageSocket), new Listener(browser::receive))
                    .get(10, TimeUnit.SECONDS);
            browser.send("Page.enable", new JsonObject());
            JsonObject metrics = new JsonObject();
            metrics.addProperty("width", width);
            metrics.addProperty("height", height);
            metrics.addProperty("deviceScaleFactor", 1);
            metrics.addProperty("mobile", false);
            browser.send("Emulation.setDeviceMetricsOverride", metrics);
            return browser;
        } catch (IOException | RuntimeException | InterruptedException | ExecutionException | TimeoutException e) {
            end(process);
            String log = Files.exists(profile.resolve("chromium.log"))
                    ? Files.readString(profile.resolve("chromium.log")) : "";
            deleteTree(profile);
            throw new IOException("Chromium (" + chromium + ") did not offer a DevTools page: " + e
                    + (log.isBlank() ? "" : "\nChromium said:\n" + log), e);
        }
    }

    /** Chromium writes the port it chose into the profile directory once DevTools listens. */
    private static int devToolsPort(Process process, Path portFile) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Chromium exited with code " + process.exitValue());
            }
            if (Files.exists(portFile)) {
                List<String> lines = Files.readAllLines(portFile);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                    return Integer.parseInt(lines.get(0).trim());
                }
            }
            Thread.sleep(100);
        }
        throw new IOException("no " + portFile + " after 30 s");
    }

    private static String pageSocket(HttpClient http, int port) throws IOException, InterruptedException {
        HttpRequest list = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                .timeout(Duration.ofSeconds(5)).build();
        for (int attempt = 0; attempt < 50; attempt++) {
            String body = http.send(list, HttpResponse.BodyHandlers.ofString()).body();
            for (JsonElement t : JsonParser.parseString(body).getAsJsonArray()) {
                JsonObject target = t.getAsJsonObject();
                if ("page".equals(target.get("type").getAsString()) && target.has("webSocketDebuggerUrl")) {
                    return target.get("webSocketDebuggerUrl").getAsString();
                }
            }
            Thread.sleep(100);
        }
        throw new IOException("DevTools on port " + port + " lists no page");
    }

    /**
     * Sends one command and waits for its answer.
     *
     * @param method e.g. {@code Page.navigate}
     * @param params the command's parameters
     * @return the command's {@code result}
     * @throws IOException when the browser answers with an error or not within 30 s
     */
    JsonObject send(String method, JsonObject params) throws IOException {
        int id = ids.incrementAndGet();
        JsonObject message = new JsonObject();
        message.addProperty("id", id);
        message.addProperty("method", method);
        message.add("params", params);
        CompletableFuture<JsonObject> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            socket.sendText(message.toString(), true).get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            JsonObject reply = answer.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (reply.has("error")) {
                throw new IOException(method + " failed: " + reply.get("error"));
            }
            return reply.getAsJsonObject("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(method + " interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException(method + " got no answer: " + e, e);
        } finally {
            pending.remove(id);
        }
    }

    private void receive(String text) {
        JsonObject message = JsonParser.parseString(text).getAsJsonObject();
        if (message.has("id")) {
            CompletableFuture<JsonObject> answer = pending.get(message.get("id").getAsInt());
            if (answer != null) {
                answer.complete(message);
            }
        }
    }

    /**
     * @param url the address to open
     * @throws IOException when the browser cannot open it
     */
    void navigate(String url) throws IOException {
        JsonObject params = new JsonObject();
        params.addProperty("url", url);
        JsonObject result = send("Page.navigate", params);
        if (result.has("errorText")) {
            throw new IOException("Cannot open " + url + ": " + result.get("errorText").getAsString());
        }
    }

    /**
     * Evaluates JavaScript in the page (awaiting a promise) and returns its value as JSON.
     *
     * @param expression the script
     * @return the value, JSON null for undefined
     * @throws IOException when the script throws
     */
    JsonElement eval(String expression) throws IOException {
        JsonObject params = new JsonObject();
        params.addProperty("expression", expression);
        params.addProperty("returnByValue", true);
        params.addProperty("awaitPromise", true);
        JsonObject result = send("Runtime.evaluate", params);
        if (result.has("exceptionDetails")) {
            throw new IOException("Script failed: " + result.getAsJsonObject("exceptionDetails") + "\n" + expression);
        }
        JsonObject value = result.getAsJsonObject("result");
        return value.has("value") ? value.get("value") : com.google.gson.JsonNull.INSTANCE;
    }

    /**
     * Polls a script every 100 ms until it returns true.
     *
     * @param condition JavaScript returning a boolean
     * @param timeout how long to wait
     * @return whether it became true in time
     * @throws IOException when the script throws
     */
    boolean waitFor(String condition, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            JsonElement v = eval("!!(" + condition + ")");
            if (v.isJsonPrimitive() && v.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + condition, e);
            }
        } while (System.nanoTime() < deadline);
        return false;
    }

    /**
     * @return a PNG of the viewport
     * @throws IOException when the browser cannot capture it
     */
    byte[] screenshot() throws IOException {
        JsonObject params = new JsonObject();
        params.addProperty("format", "png");
        String data = send("Page.captureScreenshot", params).get("data").getAsString();
        return java.util.Base64.getDecoder().decode(data);
    }

    @Override
    public void close() throws IOException {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // The browser is ended below either way.
        } finally {
            end(process);
            deleteTree(profile);
        }
    }

    /** Ends the browser and the helper processes it started (renderer, GPU, zygote), nothing else. */
    private static void end(Process process) {
        List<ProcessHandle> helpers = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle helper : helpers) {
                if (helper.isAlive()) {
                    helper.destroy();
                }
                helper.onExit().get(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            helpers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
    }

    /**
     * Removes the profile directory. Chromium's helper processes may still write to it for a moment
     * after the browser process ends, so this retries for up to 5 s, then leaves it with a warning:
     * a stale temporary directory must not fail the check.
     */
    private static void deleteTree(Path dir) {
        IOException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
                return;
            } catch (java.nio.file.NoSuchFileException e) {
                return;
            } catch (IOException | java.io.UncheckedIOException e) {
                last = e instanceof IOException io ? io : ((java.io.UncheckedIOException) e).getCause();
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        System.err.println("warning: could not remove Chromium's temporary profile " + dir + ": " + last);
    }

    /** Joins the fragments of each text message and hands whole messages on. */
    private static final class Listener implements WebSocket.Listener {

        private final java.util.function.Consumer<String> onMessage;
        private final StringBuilder partial = new StringBuilder();

        Listener(java.util.function.Consumer<String> onMessage) {
            this.onMessage = onMessage;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                onMessage.accept(message);
            }
            webSocket.request(1);
            return null;
        }
    }
}

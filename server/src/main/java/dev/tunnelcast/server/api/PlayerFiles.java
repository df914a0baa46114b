package dev.tunnelcast.server.api;

import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.resource.ClassPathResourceManager;
import io.undertow.server.handlers.resource.PathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import io.undertow.server.handlers.resource.ResourceManager;
import io.undertow.util.Headers;
import io.undertow.util.MimeMappings;
import java.nio.file.Path;

/**
 * The web player's static files: from the classpath ({@code tunnelcast/player/}, the
 * {@code web-player} module) or from a folder. {@code index.html} answers {@code /} and is
 * never cached, so a new player version is picked up at once.
 */
public final class PlayerFiles {

    static final String CLASSPATH_PREFIX = "tunnelcast/player";

    private PlayerFiles() {}

    public static HttpHandler handler(Path folder) {
        ResourceManager files = folder == null
                ? new ClassPathResourceManager(PlayerFiles.class.getClassLoader(), CLASSPATH_PREFIX)
                : new PathResourceManager(folder);
        ResourceHandler resources = new ResourceHandler(files)
                .setWelcomeFiles("index.html")
                .setDirectoryListingEnabled(false)
                .setMimeMappings(MimeMappings.builder(true)
                        .addMapping("js", "text/javascript")
                        .addMapping("mjs", "text/javascript")
                        .addMapping("wasm", "application/wasm")
                        .addMapping("json", "application/json")
                        .addMapping("map", "application/json")
                        .addMapping("svg", "image/svg+xml")
                        .build());
        return exchange -> {
            String path = exchange.getRelativePath();
            if (path.isEmpty() || path.endsWith("/") || path.endsWith(".html")) {
                exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
            }
            resources.handleRequest(exchange);
        };
    }
}

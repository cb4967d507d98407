package dev.jtap.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * What {@link Training} runs inside the tap: for each base URL (HTTP, then HTTPS) one big download
 * and a run of small requests on a kept-alive connection, as a client would.
 */
public final class TrainingClient {
    private static final int SMALL_REQUESTS = 300;

    private TrainingClient() {
    }

    public static void main(String[] bases) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            for (String base : bases) {
                client.send(HttpRequest.newBuilder(URI.create(base + "/big")).build(),
                        HttpResponse.BodyHandlers.discarding());
                for (int i = 0; i < SMALL_REQUESTS; i++) {
                    client.send(HttpRequest.newBuilder(URI.create(base + "/small")).build(),
                            HttpResponse.BodyHandlers.discarding());
                }
            }
        }
    }
}

package io.latentflow.embedded;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * An HTTPS reverse proxy with HTTP basic auth in front of a plain-HTTP service (the embedded Apicurio), for tests
 * of clients that talk to a secured schema registry. Apicurio 3 itself only authenticates through an OIDC server;
 * this stands in for the TLS-terminating, authenticating gateway that usually fronts a registry.
 *
 * <p>Every request must carry {@code Authorization: Basic base64(user:password)}; otherwise the answer is 401 with
 * {@code WWW-Authenticate} and a Confluent-style JSON error, and nothing reaches the upstream. Authorized requests are
 * forwarded with their method, path, query, body, {@code Content-Type} and {@code Accept}. With
 * {@code requireClientCertificate} the TLS handshake also demands a client certificate signed by the test CA.
 */
public final class BasicAuthTlsProxy implements AutoCloseable {
    private final HttpsServer server;
    private final ExecutorService executor;
    private final HttpClient upstreamClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String upstream;
    private final byte[] expectedAuthorization;
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger forwarded = new AtomicInteger();

    private BasicAuthTlsProxy(String upstream, TestPki pki, String user, String password, boolean clientCert) {
        this.upstream = upstream.replaceAll("/+$", "");
        this.expectedAuthorization = ("Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8);
        try {
            SSLContext tls = serverContext(pki);
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls) {
                @Override
                public void configure(HttpsParameters params) {
                    SSLParameters p = tls.getDefaultSSLParameters();
                    p.setNeedClientAuth(clientCert);
                    params.setSSLParameters(p);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the TLS proxy", e);
        }
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "basic-auth-tls-proxy");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Starts the proxy on a free loopback port.
     *
     * @param upstream base URL of the plain-HTTP service, e.g. {@link EmbeddedApicurio#url()}; request paths are
     *                 appended to it unchanged
     */
    public static BasicAuthTlsProxy start(String upstream, TestPki pki, String user, String password,
                                          boolean requireClientCertificate) {
        return new BasicAuthTlsProxy(upstream, pki, user, password, requireClientCertificate);
    }

    /** {@code https://127.0.0.1:<port>}: the proxied service's base URL (the server certificate names 127.0.0.1). */
    public String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Requests answered 401. */
    public int refused() {
        return refused.get();
    }

    /** Requests forwarded to the upstream. */
    public int forwarded() {
        return forwarded.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !MessageDigest.isEqual(expectedAuthorization, auth.getBytes(StandardCharsets.UTF_8))) {
                refused.incrementAndGet();
                exchange.getRequestBody().readAllBytes();
                byte[] body = "{\"error_code\":401,\"message\":\"Unauthorized\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"schema-registry\"");
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(401, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            forwarded.incrementAndGet();
            byte[] requestBody;
            try (InputStream in = exchange.getRequestBody()) {
                requestBody = in.readAllBytes();
            }
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(upstream + exchange.getRequestURI()))
                    .timeout(Duration.ofSeconds(30))
                    .method(exchange.getRequestMethod(), requestBody.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(requestBody));
            for (String header : List.of("Content-Type", "Accept")) {
                String v = exchange.getRequestHeaders().getFirst(header);
                if (v != null) {
                    b.header(header, v);
                }
            }
            HttpResponse<byte[]> answer;
            try {
                answer = upstreamClient.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(503, -1);
                return;
            } catch (IOException e) {
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            answer.headers().firstValue("Content-Type").ifPresent(v -> exchange.getResponseHeaders().add("Content-Type", v));
            byte[] body = answer.body();
            exchange.sendResponseHeaders(answer.statusCode(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        }
    }

    private static SSLContext serverContext(TestPki pki) {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(pki.serverKeystore(), pki.password()), pki.password().toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(load(pki.truststore(), pki.password()));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the proxy's TLS context", e);
        }
    }

    private static KeyStore load(Path file, String password) {
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load " + file, e);
        }
    }

    /** Stops serving at once. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

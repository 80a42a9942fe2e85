package io.latentflow.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority with a server and a client certificate, made with the JDK's own
 * {@code keytool} (no extra dependency) for TLS, SASL_SSL and mutual-TLS tests. All stores are PKCS12 and share
 * one random password ({@link #password()}), so tests can also check that it never appears in logs.
 *
 * <ul>
 *   <li>{@link #truststore()}: the CA certificate only; clients and the broker trust it.</li>
 *   <li>{@link #serverKeystore()}: {@code CN=localhost}, SAN {@code DNS:localhost, IP:127.0.0.1}, signed by the CA,
 *       so hostname verification (Kafka's and {@code java.net.http}'s default) passes on loopback.</li>
 *   <li>{@link #clientKeystore()}: {@code CN=latentflow-client}, signed by the CA, for mutual TLS.</li>
 * </ul>
 * Keys are EC P-256: generating them takes milliseconds, not the seconds of RSA. Valid for 2 days.
 */
public final class TestPki {
    private static final String KEY_ALG = "EC";
    private static final String CURVE = "secp256r1";

    private final Path dir;
    private final String password;

    private TestPki(Path dir, String password) {
        this.dir = dir;
        this.password = password;
    }

    /** Generates the CA, server and client stores in {@code dir} (created if needed); a few seconds: 11 short keytool runs, 3 at a time. */
    public static TestPki generate(Path dir) {
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        TestPki pki = new TestPki(dir, "pki-" + HexFormat.of().formatHex(random));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        // the CA and the two leaf keys are independent; each leaf is then signed and its chain imported
        CompletableFuture<Void> ca = CompletableFuture.runAsync(() -> {
            pki.keytool("-genkeypair", "-alias", "ca", "-keyalg", KEY_ALG, "-groupname", CURVE, "-dname",
                    "CN=latentflow-test-ca", "-ext", "bc:c", "-validity", "2", "-keystore", pki.path("ca.p12"));
            pki.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", pki.path("ca.p12"), "-file",
                    pki.path("ca.pem"));
        });
        CompletableFuture<Void> server = pki.leaf(ca, "server", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1");
        CompletableFuture<Void> client = pki.leaf(ca, "client", "CN=latentflow-client", null);
        CompletableFuture<Void> trust = ca.thenRunAsync(() -> pki.keytool("-importcert", "-noprompt", "-alias", "ca",
                "-file", pki.path("ca.pem"), "-keystore", pki.path("truststore.p12")));
        try {
            CompletableFuture.allOf(server, client, trust).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        return pki;
    }

    /** The password of every store and key. */
    public String password() {
        return password;
    }

    /** PKCS12 with the CA certificate. */
    public Path truststore() {
        return dir.resolve("truststore.p12");
    }

    /** PKCS12 with the server key and its chain (CN=localhost, SAN localhost and 127.0.0.1). */
    public Path serverKeystore() {
        return dir.resolve("server.p12");
    }

    /** PKCS12 with the client key and its chain (CN=latentflow-client). */
    public Path clientKeystore() {
        return dir.resolve("client.p12");
    }

    /** The CA certificate, PEM. */
    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    /** A key pair in {@code name.p12}; once the CA exists, its certificate signed and the chain imported back. */
    private CompletableFuture<Void> leaf(CompletableFuture<Void> ca, String name, String dname, String san) {
        String store = path(name + ".p12");
        return CompletableFuture.runAsync(() -> {
            keytool("-genkeypair", "-alias", name, "-keyalg", KEY_ALG, "-groupname", CURVE, "-dname", dname,
                    "-validity", "2", "-keystore", store);
            keytool("-certreq", "-alias", name, "-keystore", store, "-file", path(name + ".csr"));
        }).runAfterBoth(ca, () -> {
            List<String> sign = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-keystore",
                    path("ca.p12"), "-infile", path(name + ".csr"), "-outfile", path(name + ".pem"), "-validity", "2"));
            if (san != null) {
                sign.addAll(List.of("-ext", san));
            }
            keytool(sign.toArray(String[]::new));
            try {
                Files.writeString(dir.resolve(name + "-chain.pem"), Files.readString(dir.resolve(name + ".pem"))
                        + Files.readString(caPem()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the chain of " + name, e);
            }
            keytool("-importcert", "-noprompt", "-alias", name, "-file", path(name + "-chain.pem"), "-keystore", store);
        });
    }

    private String path(String file) {
        return dir.resolve(file).toString();
    }

    private void keytool(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC")); // short-lived: start fast
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storetype", "PKCS12", "-storepass", password));
        if (List.of(args).contains("-genkeypair")) {
            cmd.addAll(List.of("-keypass", password));
        }
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                // the command names the file and step; the password is the only secret and is left out
                throw new IllegalStateException("keytool " + args[0] + " " + String.join(" ", List.of(args).subList(1,
                        args.length)) + " failed: " + out.replace(password, "***").strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}

package io.latentflow.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Finds the unpacked Apicurio Registry distribution (the Quarkus runner jar and its lib/).
 *
 * <p>Why several places: the demo runs from the cli module's class path, from any current directory, and the
 * tests run from this module. In order:
 * <ol>
 *   <li>the system property {@value #HOME_PROPERTY}, a directory holding the runner jar;</li>
 *   <li>where this module's build unpacked it ({@code embedded/target/apicurio}, recorded at build time in
 *       {@code embedded-build.properties}, so it does not depend on the current directory);</li>
 *   <li>the {@code apicurio-registry-app-<version>-all.tar.gz} in the local Maven repository, unpacked with the
 *       JDK's own code into {@code ~/.cache/latentflow/apicurio-<version>} (once).</li>
 * </ol>
 */
public final class ApicurioDistribution {
    /** System property naming the directory of an unpacked distribution. */
    public static final String HOME_PROPERTY = "latentflow.apicurio.home";

    private final Path home;
    private final Path runnerJar;
    private final String mainClass;

    private ApicurioDistribution(Path home, Path runnerJar, String mainClass) {
        this.home = home;
        this.runnerJar = runnerJar;
        this.mainClass = mainClass;
    }

    /** The directory holding the runner jar. */
    public Path home() {
        return home;
    }

    /** The Quarkus runner jar; its manifest Class-Path names the jars in lib/. */
    public Path runnerJar() {
        return runnerJar;
    }

    /** The runner jar's Main-Class. */
    public String mainClass() {
        return mainClass;
    }

    /** The Apicurio version this build uses (the root pom's apicurio.version). */
    public static String version() {
        return buildProperties().getProperty("apicurio.version", "3.0.9");
    }

    /** Finds the distribution as the class comment says, unpacking the tar.gz if needed. */
    public static ApicurioDistribution locate() {
        List<String> tried = new ArrayList<>();
        String explicit = System.getProperty(HOME_PROPERTY);
        if (explicit != null) {
            return in(Paths.get(explicit)).orElseThrow(() -> new IllegalStateException(HOME_PROPERTY + "="
                    + explicit + " holds no Apicurio runner jar (*-runner.jar)"));
        }
        Properties build = buildProperties();
        String buildHome = build.getProperty("apicurio.home");
        if (buildHome != null && !buildHome.contains("${")) {
            Optional<ApicurioDistribution> d = in(Paths.get(buildHome));
            if (d.isPresent()) {
                return d.get();
            }
            tried.add(buildHome + " (build-time unpack)");
        }
        Path tarGz = localRepository(build).resolve(Paths.get("io", "apicurio", "apicurio-registry-app", version(),
                "apicurio-registry-app-" + version() + "-all.tar.gz"));
        if (Files.isRegularFile(tarGz)) {
            Path cache = Paths.get(System.getProperty("user.home"), ".cache", "latentflow", "apicurio-" + version());
            return in(cache).orElseGet(() -> {
                unpack(tarGz, cache);
                return in(cache).orElseThrow(() -> new IllegalStateException(
                        "unpacked " + tarGz + " into " + cache + " but found no *-runner.jar there"));
            });
        }
        tried.add(tarGz + " (local Maven repository)");
        throw new IllegalStateException("Apicurio Registry " + version() + " not found; tried " + tried
                + ". Build the embedded module (mvn -pl embedded -am package) or set -D" + HOME_PROPERTY);
    }

    /** The distribution in {@code dir}, if it holds a runner jar. */
    static Optional<ApicurioDistribution> in(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            Optional<Path> jar = files.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith("-runner.jar") || n.equals("quarkus-run.jar");
            }).findFirst();
            if (jar.isEmpty()) {
                return Optional.empty();
            }
            try (JarFile jf = new JarFile(jar.get().toFile())) {
                String main = jf.getManifest().getMainAttributes().getValue("Main-Class");
                if (main == null) {
                    throw new IllegalStateException(jar.get() + " has no Main-Class in its manifest");
                }
                return Optional.of(new ApicurioDistribution(dir, jar.get(), main));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Apicurio distribution in " + dir, e);
        }
    }

    /** Unpacks a tar.gz into {@code target} via a sibling temp directory, so a half-unpacked cache never shows. */
    static void unpack(Path tarGz, Path target) {
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempDirectory(target.getParent(), target.getFileName() + ".unpacking-");
            try (InputStream in = new GZIPInputStream(Files.newInputStream(tarGz), 1 << 16)) {
                Tar.extract(in, tmp);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException raced) {
                    if (in(target).isEmpty()) {
                        throw raced;
                    }
                }
            } finally {
                Files2.deleteRecursively(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + tarGz + " into " + target + ": " + e, e);
        }
    }

    private static Path localRepository(Properties build) {
        String fromCommandLine = System.getProperty("maven.repo.local");
        if (fromCommandLine != null) {
            return Paths.get(fromCommandLine);
        }
        String fromBuild = build.getProperty("maven.localRepository");
        if (fromBuild != null && !fromBuild.contains("${")) {
            return Paths.get(fromBuild);
        }
        return Paths.get(System.getProperty("user.home"), ".m2", "repository");
    }

    private static Properties buildProperties() {
        Properties p = new Properties();
        try (InputStream in = ApicurioDistribution.class.getResourceAsStream("embedded-build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read embedded-build.properties", e);
        }
        return p;
    }
}

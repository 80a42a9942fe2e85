package io.latentflow.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Finding the registry: the build-time unpack, and the runtime fallback that untars the local-repository copy. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ApicurioDistributionTest {
    @Test
    void locatesTheBuildTimeUnpack() {
        ApicurioDistribution d = ApicurioDistribution.locate();
        assertTrue(d.home().endsWith(Paths.get("target", "apicurio")), d.home().toString());
        assertEquals("io.quarkus.runner.GeneratedMain", d.mainClass());
        assertTrue(d.home().isAbsolute());
    }

    @Test
    void unpacksTheTarGzWithTheJdkAlone(@TempDir Path tmp) throws Exception {
        String v = ApicurioDistribution.version();
        Path tarGz = Paths.get(System.getProperty("user.home"), ".m2", "repository", "io", "apicurio",
                "apicurio-registry-app", v, "apicurio-registry-app-" + v + "-all.tar.gz");
        String repo = System.getProperty("maven.repo.local");
        if (repo != null) {
            tarGz = Paths.get(repo).resolve(Paths.get(System.getProperty("user.home"), ".m2", "repository")
                    .relativize(tarGz));
        }
        Path target = tmp.resolve("apicurio");
        ApicurioDistribution.unpack(tarGz, target);
        ApicurioDistribution d = ApicurioDistribution.in(target).orElseThrow();
        Path built = ApicurioDistribution.locate().home();
        assertEquals(count(built.resolve("lib")), count(target.resolve("lib")));
        assertEquals(Files.size(built.resolve(d.runnerJar().getFileName())), Files.size(d.runnerJar()));
    }

    private static long count(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}

package io.latentflow.cli;

import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The project version, from the Maven-filtered latentflow-version.properties. */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() throws Exception {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/latentflow-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        }
        return new String[] {"latentflow " + p.getProperty("version", "unknown"),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
    }
}

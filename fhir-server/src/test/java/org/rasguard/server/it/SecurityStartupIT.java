package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Safe by default: the packaged server will not serve other networks without authentication. */
class SecurityStartupIT {

    @Test
    void bindingAllInterfacesWithoutAuthenticationRefusesToStart() throws Exception {
        Path dataDir = Files.createTempDirectory("rasguard-startup-it-");
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        ServerProcess.jar().toString())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(key -> key.startsWith("RASGUARD_"));
        builder.environment().put("RASGUARD_HOST", "0.0.0.0");
        builder.environment().put("RASGUARD_PORT", "0");
        builder.environment().put("RASGUARD_DATA_DIR", dataDir.toString());
        Process process = builder.start();
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as(output).isEqualTo(2);
            assertThat(output)
                    .contains("RASGUARD_HOST=0.0.0.0 is not a loopback address")
                    .contains("RASGUARD_CDS_ISSUERS")
                    .contains("RASGUARD_AUTH=disabled")
                    .doesNotContain("listening");
        } finally {
            process.destroyForcibly();
        }
    }
}

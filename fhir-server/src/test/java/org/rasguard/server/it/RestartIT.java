package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/**
 * Persistence across a restart on the same data directory, a clean SIGTERM shutdown, and the time from
 * {@code java -jar} to a healthy {@code /health} on an empty database (the README quotes it).
 */
class RestartIT {

    @Test
    void everyResourceSurvivesARestartWithItsIdAndVersion() throws Exception {
        Path dataDir = Files.createTempDirectory("rasguard-restart-");
        Map<String, String> database = TestDatabase.fresh();
        Map<String, String> versions = new LinkedHashMap<>();

        try (ServerProcess first = new ServerProcess(dataDir, database).start()) {
            System.out.printf("[startup] java -jar to /health 200 on an empty %s database: %d ms%n", TestDatabase.isPostgresql() ? "PostgreSQL" : "H2", first.millisToHealthy());
            Http.Response posted = Http.post(first.fhirBase(), Fixtures.genomicReportTransaction(UUID.randomUUID().toString()));
            assertThat(posted.status()).as(posted.body()).isEqualTo(200);
            for (Bundle.BundleEntryComponent entry : posted.resource(Bundle.class).getEntry()) {
                String[] location = entry.getResponse().getLocation().split("/");
                versions.put(location[0] + "/" + location[1], location[3]);
            }
            assertThat(first.stop()).as("exit code after SIGTERM").isIn(0, 143);
            assertThat(first.output()).anyMatch(line -> line.contains("RAS Guard stopped"));
        }

        try (ServerProcess second = new ServerProcess(dataDir, database).start()) {
            System.out.printf("[startup] java -jar to /health 200 on an existing %s database: %d ms%n", TestDatabase.isPostgresql() ? "PostgreSQL" : "H2", second.millisToHealthy());
            for (Map.Entry<String, String> stored : versions.entrySet()) {
                Http.Response read = Http.get(second.fhirBase() + "/" + stored.getKey());
                assertThat(read.status()).as(stored.getKey()).isEqualTo(200);
                Resource resource = (Resource) Http.FHIR.newJsonParser().parseResource(read.body());
                assertThat(resource.getIdElement().getIdPart()).isEqualTo(stored.getKey().split("/")[1]);
                assertThat(resource.getMeta().getVersionId()).isEqualTo(stored.getValue());
            }
        }
    }
}

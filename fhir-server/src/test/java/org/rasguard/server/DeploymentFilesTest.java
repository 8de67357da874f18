package org.rasguard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rasguard.server.config.ServerConfig;

/**
 * No Docker engine runs on our machines, so the compose file and the Dockerfile are checked by
 * reading them: the services, the database health gate, and that every setting they pass is one
 * the server reads.
 */
class DeploymentFilesTest {

    private static final Path ROOT = Path.of("..");

    @Test
    void composeRunsTheServerOnAHealthyPostgresql() throws Exception {
        JsonNode compose = new ObjectMapper(new YAMLFactory())
                .readTree(ROOT.resolve("docker-compose.yml").toFile());
        JsonNode db = compose.path("services").path("db");
        JsonNode server = compose.path("services").path("fhir-server");

        assertThat(db.path("image").asText()).startsWith("postgres:");
        assertThat(db.path("healthcheck").path("test").toString()).contains("pg_isready");
        assertThat(db.path("volumes").get(0).asText()).startsWith("rasguard-db:");
        assertThat(compose.path("volumes").has("rasguard-db")).isTrue();

        assertThat(server.path("build").asText()).isEqualTo(".");
        assertThat(server.path("depends_on").path("db").path("condition").asText())
                .isEqualTo("service_healthy");
        // Published on the host's loopback only: the compose stack runs with RASGUARD_AUTH=disabled.
        assertThat(server.path("ports").get(0).asText()).isEqualTo("127.0.0.1:8080:8080");
        assertThat(server.path("environment").path("RASGUARD_AUTH").asText()).isEqualTo("disabled");
        assertThat(server.path("environment").path("RASGUARD_DB_URL").asText())
                .startsWith("jdbc:postgresql://db:5432/");
    }

    @Test
    void everyVariableTheDeploymentSetsIsOneTheServerReads() throws Exception {
        JsonNode compose = new ObjectMapper(new YAMLFactory())
                .readTree(ROOT.resolve("docker-compose.yml").toFile());
        List<String> set = new ArrayList<>();
        compose.path("services")
                .path("fhir-server")
                .path("environment")
                .fieldNames()
                .forEachRemaining(set::add);
        for (String line : Files.readAllLines(ROOT.resolve("Dockerfile"))) {
            for (String word : line.trim().split("[\\s\\\\]+")) {
                if (word.startsWith("RASGUARD_") && word.contains("=")) {
                    set.add(word.substring(0, word.indexOf('=')));
                }
            }
        }
        assertThat(set)
                .isNotEmpty()
                .allSatisfy(name -> assertThat(ServerConfig.VARIABLES).contains(name));
    }

    @Test
    void theImageRunsTheJarAsANonRootUser() throws Exception {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        assertThat(dockerfile).contains("FROM maven:").contains("AS build").contains("FROM eclipse-temurin:17-jre");
        assertThat(dockerfile).containsPattern("(?m)^USER rasguard$");
        assertThat(dockerfile).contains("rasguard-server.jar");
    }
}

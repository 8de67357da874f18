package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The CDS Hooks discovery endpoint answers in the spec's shape. */
@ExtendWith(SharedServer.class)
class CdsDiscoveryIT {

    @Test
    void discoveryAnswersWithAServicesArray(ServerProcess server) {
        Http.Response response = Http.get(server.baseUrl() + "/cds-services");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.body()).startsWith("{\"services\":[");
    }

    @Test
    void healthIsUpOnceServing(ServerProcess server) {
        Http.Response response = Http.get(server.baseUrl() + "/health");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).contains("UP");
    }
}

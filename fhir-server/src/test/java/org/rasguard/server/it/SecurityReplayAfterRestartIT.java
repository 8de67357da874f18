package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The jti of an accepted token is remembered in the database, so a restart does not reopen a replay. */
@ExtendWith(SecurityServer.class)
class SecurityReplayAfterRestartIT {

    @Test
    void aTokenUsedBeforeARestartIsRefusedAfterIt(SecurityServer.Setup setup) throws Exception {
        String token = setup.cdsToken("/cds-services");
        assertThat(Http.send(setup.request("/cds-services", token).GET()).status()).isEqualTo(200);

        setup.server.stop();
        setup.server.start();

        SecurityCdsJwtIT.assertBare401(Http.send(setup.request("/cds-services", token).GET()));
        assertThat(Http.send(setup.request("/cds-services", setup.cdsToken("/cds-services")).GET()).status())
                .isEqualTo(200);
    }
}

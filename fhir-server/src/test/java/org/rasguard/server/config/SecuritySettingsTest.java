package org.rasguard.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rasguard.server.auth.TestJwts;

class SecuritySettingsTest {

    @TempDir
    Path dir;

    private final List<String> problems = new ArrayList<>();

    private SecuritySettings read(Map<String, String> env, String host) {
        return SecuritySettings.from(env::get, host, problems);
    }

    private String jwksFile() throws Exception {
        Path file = dir.resolve("jwks.json");
        Files.writeString(file, TestJwts.publicSet(TestJwts.rsa("k1")));
        return file.toUri().toString();
    }

    @Test
    void onLoopbackWithNothingConfiguredEverythingIsOpen() {
        SecuritySettings settings = read(Map.of(), "127.0.0.1");
        assertThat(problems).isEmpty();
        assertThat(settings.cdsAuthRequired()).isFalse();
        assertThat(settings.fhirAuthRequired()).isFalse();
        assertThat(settings.algorithms()).containsExactlyInAnyOrder(JWSAlgorithm.RS384, JWSAlgorithm.ES384);
        assertThat(settings.rateLimitPerSecond()).isEqualTo(200);
        read(Map.of(), "localhost");
        read(Map.of(), "::1");
        assertThat(problems).isEmpty();
    }

    @Test
    void anyOtherAddressWithoutAuthenticationIsRefusedNamingWhatIsMissing() throws Exception {
        read(Map.of(), "0.0.0.0");
        assertThat(problems)
                .singleElement()
                .asString()
                .contains("RASGUARD_HOST=0.0.0.0 is not a loopback address")
                .contains("RASGUARD_CDS_ISSUERS")
                .contains("RASGUARD_FHIR_ISSUER")
                .contains("RASGUARD_AUTH=disabled");
        problems.clear();
        read(Map.of("RASGUARD_CDS_ISSUERS", "https://ehr=" + jwksFile()), "0.0.0.0");
        assertThat(problems)
                .singleElement()
                .asString()
                .contains("RASGUARD_FHIR_ISSUER")
                .doesNotContain("set RASGUARD_CDS_ISSUERS");
    }

    @Test
    void bothIssuersConfiguredAllowAnyAddress() throws Exception {
        String jwks = jwksFile();
        SecuritySettings settings = read(
                Map.of(
                        "RASGUARD_CDS_ISSUERS",
                                "https://ehr.example.org=" + jwks + "|https://ehr.example.org/jwks2.json, https://b="
                                        + jwks,
                        "RASGUARD_FHIR_ISSUER", "https://auth.example.org",
                        "RASGUARD_FHIR_JWKS", "https://auth.example.org/jwks"),
                "0.0.0.0");
        assertThat(problems).isEmpty();
        assertThat(settings.cdsIssuers()).containsOnlyKeys("https://ehr.example.org", "https://b");
        assertThat(settings.cdsIssuers().get("https://ehr.example.org").allowedJku())
                .hasSize(2);
        assertThat(settings.cdsAuthRequired()).isTrue();
        assertThat(settings.fhirAuthRequired()).isTrue();
    }

    @Test
    void hostNamesAreLoopbackOnlyUnlessBothApisAuthenticateOrHostsAreNamed() throws Exception {
        String jwks = jwksFile();
        assertThat(read(Map.of(), "127.0.0.1").allowedHosts())
                .containsExactlyInAnyOrderElementsOf(SecuritySettings.LOOPBACK_HOSTS);
        assertThat(read(Map.of("RASGUARD_AUTH", "disabled"), "0.0.0.0").allowedHosts())
                .containsExactlyInAnyOrderElementsOf(SecuritySettings.LOOPBACK_HOSTS);
        assertThat(read(Map.of("RASGUARD_CDS_ISSUERS", "https://ehr=" + jwks), "127.0.0.1")
                        .allowedHosts())
                .as("the FHIR API is still open")
                .containsExactlyInAnyOrderElementsOf(SecuritySettings.LOOPBACK_HOSTS);
        Map<String, String> both = Map.of(
                "RASGUARD_CDS_ISSUERS",
                "https://ehr=" + jwks,
                "RASGUARD_FHIR_ISSUER",
                "https://auth",
                "RASGUARD_FHIR_JWKS",
                jwks);
        assertThat(read(both, "0.0.0.0").allowedHosts()).as("any").isEmpty();
        Map<String, String> named = new HashMap<>(both);
        named.put("RASGUARD_PUBLIC_BASE_URL", "https://CDS.example.org/");
        assertThat(read(named, "0.0.0.0").allowedHosts())
                .contains("cds.example.org", "localhost")
                .hasSize(5);
        assertThat(read(
                                Map.of(
                                        "RASGUARD_AUTH",
                                        "disabled",
                                        "RASGUARD_ALLOWED_HOSTS",
                                        "rasguard.internal, 10.0.0.5"),
                                "0.0.0.0")
                        .allowedHosts())
                .contains("rasguard.internal", "10.0.0.5", "127.0.0.1");
        assertThat(problems).isEmpty();
        read(Map.of("RASGUARD_ALLOWED_HOSTS", "https://x.example:443"), "127.0.0.1");
        assertThat(problems).singleElement().asString().contains("RASGUARD_ALLOWED_HOSTS");
    }

    @Test
    void fhirTokenLifetimeIsCappedAtAnHourUnlessConfigured() {
        assertThat(read(Map.of(), "127.0.0.1").fhirMaxTokenLifetime()).isEqualTo(java.time.Duration.ofHours(1));
        assertThat(read(Map.of("RASGUARD_FHIR_MAX_TOKEN_LIFETIME_SECONDS", "300"), "127.0.0.1")
                        .fhirMaxTokenLifetime())
                .isEqualTo(java.time.Duration.ofMinutes(5));
        assertThat(problems).isEmpty();
        read(Map.of("RASGUARD_FHIR_MAX_TOKEN_LIFETIME_SECONDS", "999999999"), "127.0.0.1");
        assertThat(problems).singleElement().asString().contains("out of range");
    }

    @Test
    void authDisabledAllowsAnyAddressButNotTogetherWithIssuers() throws Exception {
        SecuritySettings settings = read(Map.of("RASGUARD_AUTH", "disabled"), "0.0.0.0");
        assertThat(problems).isEmpty();
        assertThat(settings.authDisabled()).isTrue();
        read(Map.of("RASGUARD_AUTH", "disabled", "RASGUARD_CDS_ISSUERS", "https://ehr=" + jwksFile()), "127.0.0.1");
        assertThat(problems).singleElement().asString().contains("contradicts");
    }

    @Test
    void keySetUrlsMustBeHttpsOrFileOrLoopbackHttp() {
        Map<String, String> env = new HashMap<>();
        env.put(
                "RASGUARD_CDS_ISSUERS",
                "a=http://ehr.example.org/jwks,b=ftp://x/jwks,c=file:///no/such/file.json,"
                        + "d=http://127.0.0.1:9999/jwks,noequals");
        read(env, "127.0.0.1");
        assertThat(problems).hasSize(4);
        assertThat(String.join("\n", problems))
                .contains("'http://ehr.example.org/jwks' must be https")
                .contains("'ftp://x/jwks' must be https: or file:")
                .contains("file:///no/such/file.json is not a readable JWK set")
                .contains("'noequals' is not issuer=JWKS-URL");
    }

    @Test
    void hmacAndNoneCanNeverBeConfigured() {
        SecuritySettings settings = read(Map.of("RASGUARD_JWT_ALGORITHMS", "RS256,ES256,HS256,none"), "127.0.0.1");
        assertThat(problems).hasSize(2);
        assertThat(settings.algorithms()).containsExactlyInAnyOrder(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    }

    @Test
    void fhirIssuerAndJwksGoTogether() {
        read(Map.of("RASGUARD_FHIR_ISSUER", "https://auth"), "127.0.0.1");
        assertThat(problems).singleElement().asString().contains("go together");
    }

    @Test
    void publicBaseUrlLosesItsTrailingSlashAndMustBeAUrl() {
        assertThat(read(Map.of("RASGUARD_PUBLIC_BASE_URL", "https://cds.example.org/"), "127.0.0.1")
                        .publicBaseUrl())
                .isEqualTo("https://cds.example.org");
        read(Map.of("RASGUARD_PUBLIC_BASE_URL", "cds.example.org"), "127.0.0.1");
        read(Map.of("RASGUARD_RATE_LIMIT_PER_SECOND", "-1"), "127.0.0.1");
        read(Map.of("RASGUARD_AUTH", "off"), "127.0.0.1");
        assertThat(problems).hasSize(3);
    }
}

package org.rasguard.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.rasguard.knowledge.G12cInhibitor;

class ServerConfigTest {

    @Test
    void defaultsBindLoopbackOnPort8080WithH2UnderTheDataDirectory() {
        ServerConfig config = ServerConfig.from(Map.of());
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.dataDir())
                .isEqualTo(Path.of("./data").toAbsolutePath().normalize());
        assertThat(config.database().kind()).isEqualTo(ServerConfig.Database.Kind.H2);
        assertThat(config.database().jdbcUrl()).startsWith("jdbc:h2:file:" + config.dataDir());
        assertThat(config.maxRequestBytes()).isEqualTo(20L * 1024 * 1024);
    }

    @Test
    void aPostgresqlUrlSelectsPostgresql() {
        ServerConfig config = ServerConfig.from(Map.of(
                "RASGUARD_DB_URL", "jdbc:postgresql://db:5432/rasguard",
                "RASGUARD_DB_USER", "rasguard",
                "RASGUARD_DB_PASSWORD", "secret"));
        assertThat(config.database().kind()).isEqualTo(ServerConfig.Database.Kind.POSTGRESQL);
        assertThat(config.database().user()).isEqualTo("rasguard");
        assertThat(config.database().toString()).doesNotContain("secret");
    }

    @Test
    void everyBadValueIsReportedByName() {
        assertThatThrownBy(() -> ServerConfig.from(Map.of(
                        "RASGUARD_PORT", "eighty",
                        "RASGUARD_MAX_REQUEST_BYTES", "12",
                        "RASGUARD_DB_URL", "jdbc:mysql://nope")))
                .isInstanceOf(ServerConfig.InvalidConfigException.class)
                .hasMessageContaining("RASGUARD_PORT='eighty' is not a whole number")
                .hasMessageContaining("RASGUARD_MAX_REQUEST_BYTES=12 is out of range")
                .hasMessageContaining("RASGUARD_DB_URL must start with jdbc:postgresql:");
    }

    @Test
    void aPortOutOfRangeIsRefused() {
        assertThatThrownBy(() -> ServerConfig.from(Map.of("RASGUARD_PORT", "70000")))
                .hasMessageContaining("RASGUARD_PORT=70000 is out of range (0..65535)");
    }

    @Test
    void bothG12cCombinationsAreHonouredUnlessTheOperatorLeavesOneOut() {
        assertThat(ServerConfig.from(Map.of()).cdsG12cCombinations()).containsExactlyInAnyOrder(G12cInhibitor.values());
        assertThat(ServerConfig.from(Map.of("RASGUARD_CDS_G12C_COMBINATIONS", "Sotorasib"))
                        .cdsG12cCombinations())
                .containsExactly(G12cInhibitor.SOTORASIB);
        assertThat(ServerConfig.from(Map.of("RASGUARD_CDS_G12C_COMBINATIONS", "none"))
                        .cdsG12cCombinations())
                .isEmpty();
        assertThatThrownBy(() -> ServerConfig.from(Map.of("RASGUARD_CDS_G12C_COMBINATIONS", "sotorasib,divarasib")))
                .hasMessageContaining(
                        "RASGUARD_CDS_G12C_COMBINATIONS: 'divarasib' is not sotorasib, adagrasib or none");
    }

    @Test
    void storeCacheDefaultsTo20000ResourcesAndZeroTurnsItOff() {
        assertThat(ServerConfig.from(Map.of()).storeCacheResources()).isEqualTo(20_000);
        assertThat(ServerConfig.from(Map.of("RASGUARD_STORE_CACHE_RESOURCES", "0"))
                        .storeCacheResources())
                .isZero();
        assertThatThrownBy(() -> ServerConfig.from(Map.of("RASGUARD_STORE_CACHE_RESOURCES", "-1")))
                .hasMessageContaining("RASGUARD_STORE_CACHE_RESOURCES");
    }

    @Test
    void validationDefaultsToWarnAndAcceptsOffAndStrictInAnyCase() {
        assertThat(ServerConfig.from(Map.of()).validation()).isEqualTo(ServerConfig.Validation.WARN);
        assertThat(ServerConfig.from(Map.of("RASGUARD_VALIDATION", "Strict")).validation())
                .isEqualTo(ServerConfig.Validation.STRICT);
        assertThat(ServerConfig.from(Map.of("RASGUARD_VALIDATION", "off")).validation())
                .isEqualTo(ServerConfig.Validation.OFF);
        assertThatThrownBy(() -> ServerConfig.from(Map.of("RASGUARD_VALIDATION", "lenient")))
                .hasMessageContaining("RASGUARD_VALIDATION='lenient' is not one of off, warn, strict");
    }

    @Test
    void listeningBeyondLoopbackWithoutAuthenticationIsRefusedUnlessAuthIsDisabled() {
        assertThatThrownBy(() -> ServerConfig.from(Map.of("RASGUARD_HOST", "0.0.0.0")))
                .hasMessageContaining("RASGUARD_HOST=0.0.0.0 is not a loopback address");
        ServerConfig open = ServerConfig.from(Map.of("RASGUARD_HOST", "0.0.0.0", "RASGUARD_AUTH", "disabled"));
        assertThat(open.security().authDisabled()).isTrue();
        assertThat(ServerConfig.from(Map.of()).security().cdsAuthRequired()).isFalse();
        assertThat(ServerConfig.VARIABLES).containsAll(org.rasguard.server.config.SecuritySettings.VARIABLES);
    }

    @Test
    void lateResultsLookBack180DaysAndSubscriptionsAreRefusedUntilEndpointsAreListed() {
        ServerConfig defaults = ServerConfig.from(Map.of());
        assertThat(defaults.lateResults().days()).isEqualTo(180);
        assertThat(defaults.lateResults().subscriptionEndpoints()).isEmpty();
        assertThat(defaults.lateResults().endpointAllowlist().isEmpty()).isTrue();
        ServerConfig set = ServerConfig.from(Map.of(
                "RASGUARD_LATE_RESULT_DAYS",
                "30",
                "RASGUARD_SUBSCRIPTION_ENDPOINTS",
                "https://ehr.example.org/hooks, http://127.0.0.1:9000/ehr"));
        assertThat(set.lateResults().days()).isEqualTo(30);
        assertThat(set.lateResults().endpointAllowlist().allowsUnder("http://127.0.0.1:9000/ehr/x"))
                .isTrue();
        assertThatThrownBy(() -> ServerConfig.from(Map.of("RASGUARD_LATE_RESULT_DAYS", "0")))
                .hasMessageContaining("RASGUARD_LATE_RESULT_DAYS=0 is out of range");
        assertThatThrownBy(() -> ServerConfig.from(Map.of("RASGUARD_SUBSCRIPTION_ENDPOINTS", "ftp://ehr/x")))
                .hasMessageContaining("RASGUARD_SUBSCRIPTION_ENDPOINTS");
    }

    @Test
    void subscriptionsAreCappedAt50ByDefaultAndTheCapIsRangeChecked() {
        assertThat(ServerConfig.from(Map.of()).lateResults().maxSubscriptions()).isEqualTo(50);
        assertThat(ServerConfig.from(Map.of("RASGUARD_MAX_SUBSCRIPTIONS", "3"))
                        .lateResults()
                        .maxSubscriptions())
                .isEqualTo(3);
        assertThat(ServerConfig.from(Map.of("RASGUARD_MAX_SUBSCRIPTIONS", "0"))
                        .lateResults()
                        .maxSubscriptions())
                .isZero();
        assertThatThrownBy(() -> ServerConfig.from(Map.of("RASGUARD_MAX_SUBSCRIPTIONS", "1001")))
                .hasMessageContaining("RASGUARD_MAX_SUBSCRIPTIONS=1001 is out of range (0..1000)");
        assertThatThrownBy(() -> ServerConfig.from(Map.of("RASGUARD_MAX_SUBSCRIPTIONS", "-1")))
                .hasMessageContaining("RASGUARD_MAX_SUBSCRIPTIONS=-1 is out of range");
        assertThatThrownBy(() -> ServerConfig.from(Map.of("RASGUARD_MAX_SUBSCRIPTIONS", "many")))
                .hasMessageContaining("RASGUARD_MAX_SUBSCRIPTIONS='many' is not a whole number");
    }

    @Test
    void auditIsOnAndKeptForeverAndLogsAreTextByDefault() {
        ServerConfig.Observability defaults = ServerConfig.from(Map.of()).observability();
        assertThat(defaults.audit()).isTrue();
        assertThat(defaults.auditRetentionDays()).isNull();
        assertThat(defaults.jsonLogs()).isFalse();
        ServerConfig.Observability set = ServerConfig.from(Map.of(
                        "RASGUARD_AUDIT",
                        "off",
                        "RASGUARD_AUDIT_RETENTION_DAYS",
                        "3650",
                        "RASGUARD_LOG_FORMAT",
                        "json"))
                .observability();
        assertThat(set).isEqualTo(new ServerConfig.Observability(false, 3650, true));
        assertThatThrownBy(() -> ServerConfig.from(Map.of(
                        "RASGUARD_AUDIT", "no", "RASGUARD_AUDIT_RETENTION_DAYS", "0", "RASGUARD_LOG_FORMAT", "JSON")))
                .hasMessageContaining("RASGUARD_AUDIT='no' is not on or off")
                .hasMessageContaining("RASGUARD_AUDIT_RETENTION_DAYS=0 is out of range (1..36500)")
                .hasMessageContaining("RASGUARD_LOG_FORMAT='JSON' is not text or json");
    }

    @Test
    void corsIsOffUnlessOriginsAreConfigured() {
        assertThat(ServerConfig.from(Map.of()).corsOrigins()).isEmpty();
    }

    @Test
    void corsOriginsAreOneListForTheFhirApiAndTheCdsService() {
        assertThat(ServerConfig.from(Map.of(
                                "RASGUARD_CORS_ORIGINS", "https://Sandbox.CDS-Hooks.org, http://127.0.0.1:3000,"))
                        .corsOrigins())
                .containsExactly("https://sandbox.cds-hooks.org", "http://127.0.0.1:3000");
        assertThat(ServerConfig.from(Map.of("RASGUARD_CORS_ORIGINS", "*")).corsOrigins())
                .containsExactly("*");
    }

    @Test
    void theOldCdsOnlyNameIsAnAliasAndAgreeingWithTheNewOneIsFine() {
        assertThat(ServerConfig.from(Map.of("RASGUARD_CDS_CORS_ORIGINS", "https://ehr.example.org"))
                        .corsOrigins())
                .containsExactly("https://ehr.example.org");
        assertThat(ServerConfig.from(Map.of(
                                "RASGUARD_CORS_ORIGINS", "https://a.example.org,https://b.example.org",
                                "RASGUARD_CDS_CORS_ORIGINS", "https://b.example.org, https://a.example.org"))
                        .corsOrigins())
                .containsExactly("https://a.example.org", "https://b.example.org");
    }

    @Test
    void bothNamesSetToDifferentOriginsStopsTheStart() {
        assertThatThrownBy(() -> ServerConfig.from(Map.of(
                        "RASGUARD_CORS_ORIGINS", "https://a.example.org",
                        "RASGUARD_CDS_CORS_ORIGINS", "https://b.example.org")))
                .isInstanceOf(ServerConfig.InvalidConfigException.class)
                .hasMessageContaining(
                        "RASGUARD_CORS_ORIGINS and RASGUARD_CDS_CORS_ORIGINS (its older name) are both set and differ");
    }

    @Test
    void anythingButAnOriginIsRefusedUnderTheNameItWasGivenIn() {
        assertThatThrownBy(() -> ServerConfig.from(Map.of("RASGUARD_CORS_ORIGINS", "https://ehr.example.org/app")))
                .hasMessageContaining("RASGUARD_CORS_ORIGINS: 'https://ehr.example.org/app' is not an origin");
        assertThatThrownBy(() -> ServerConfig.from(Map.of("RASGUARD_CDS_CORS_ORIGINS", "ehr.example.org")))
                .hasMessageContaining("RASGUARD_CDS_CORS_ORIGINS: 'ehr.example.org' is not an origin");
        assertThatThrownBy(() -> ServerConfig.from(Map.of("RASGUARD_CORS_ORIGINS", "https://ehr.example.org/")))
                .hasMessageContaining("is not an origin");
    }

    @Test
    void theReadmeListsExactlyTheVariablesTheServerReads() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Set<String> documented = new TreeSet<>();
        Matcher matcher = Pattern.compile("^\\| `(RASGUARD_[A-Z0-9_]+)`", Pattern.MULTILINE)
                .matcher(readme);
        while (matcher.find()) {
            documented.add(matcher.group(1));
        }
        assertThat(documented).containsExactlyInAnyOrderElementsOf(ServerConfig.VARIABLES);
    }
}

package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rasguard.cdshooks.CdsScenarios;
import org.rasguard.cdshooks.CdsScenarios.Scenario;
import org.rasguard.cdshooks.CdsScenarios.Way;
import org.rasguard.cdshooks.CdsServices;

/**
 * A few calls of the CDS scenario matrix end to end, acting as an EHR against the packaged server:
 * the records posted through the FHIR API, the prefetch read from it, the call over HTTP. The whole
 * matrix (every scenario on both hooks, three ways) runs in process in cds-hooks'
 * {@code CdsScenariosThroughCdsTest}, with the same requests and checks ({@link CdsScenarios});
 * the calls here are those whose path goes through what only the real server has:
 * <ul>
 *   <li>our store found by the EHR Patient's MRN through HAPI JPA's identifier search, and the
 *       service reading the client's {@code fhirServer} over HTTP (this server, in our id space);
 *   <li>HAPI's {@code _include=Observation:specimen} (ctDNA), {@code status=active} (the inhibitor
 *       already given) and a Medication read from the server;
 *   <li>an OperationOutcome in place of a prefetch, read again over HTTP, on order-select.
 * </ul>
 */
@ExtendWith(SharedServer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CdsHooksScenariosIT {

    /** One call: a scenario, a hook, a way. */
    private record Call(String scenario, boolean select, Way way) {
        @Override
        public String toString() {
            return scenario + " / " + (select ? "order-select" : "order-sign") + " / " + way;
        }
    }

    private static final List<Call> CALLS = List.of(
            new Call("mutant-kras-g12d-variant-rxnorm", false, Way.FULL_PREFETCH),
            new Call("mutant-kras-g12d-variant-rxnorm", false, Way.NO_PREFETCH),
            new Call("unknown-not-tested", false, Way.FULL_PREFETCH),
            new Call("unknown-ctdna-only", false, Way.NO_PREFETCH),
            new Call("g12c-cetuximab-with-active-adagrasib", false, Way.NO_PREFETCH),
            new Call("medication-reference-on-the-server", false, Way.FULL_PREFETCH),
            new Call("genomics-under-another-patient-record", false, Way.FULL_PREFETCH),
            new Call("two-antibodies-one-card-each", true, Way.NULL_AND_OPERATION_OUTCOME),
            new Call("wild-type", false, Way.NULL_AND_OPERATION_OUTCOME));

    private final Map<String, Scenario> scenarios = new HashMap<>();
    private final Map<String, Map<String, String>> ids = new HashMap<>();

    @BeforeAll
    void postTheScenariosRecords(ServerProcess server) {
        CdsScenarios.scenarios().forEach(scenario -> scenarios.put(scenario.name(), scenario));
        for (String name : CALLS.stream().map(Call::scenario).distinct().toList()) {
            Scenario scenario = scenarios.get(name);
            assertThat(scenario).as(name).isNotNull();
            Http.Response posted = Http.post(server.fhirBase(), Http.encode(scenario.transaction()));
            assertThat(posted.status()).as(name + ": " + posted.body()).isEqualTo(200);
            Map<String, String> byName = new HashMap<>();
            List<String> names = new ArrayList<>(scenario.record().keySet());
            List<Bundle.BundleEntryComponent> entries =
                    posted.resource(Bundle.class).getEntry();
            for (int i = 0; i < names.size(); i++) {
                byName.put(
                        names.get(i), entries.get(i).getResponse().getLocation().split("/")[1]);
            }
            ids.put(name, byName);
        }
    }

    @TestFactory
    Stream<DynamicTest> aFewScenarioCallsEndToEnd(ServerProcess server) {
        assertThat(CALLS).hasSizeLessThanOrEqualTo(10);
        return CALLS.stream().map(call -> DynamicTest.dynamicTest(call.toString(), () -> check(server, call)));
    }

    private void check(ServerProcess server, Call call) {
        Scenario scenario = scenarios.get(call.scenario());
        Map<String, String> named = ids.get(call.scenario());
        JsonNode request = CdsScenarios.request(
                scenario,
                named::get,
                call.way(),
                call.select() ? scenario.selected() : null,
                server.fhirBase(),
                query -> read(server, query));
        String service = call.select() ? CdsServices.ORDER_SELECT_ID : CdsServices.ORDER_SIGN_ID;
        Http.Response response =
                Http.post(server.baseUrl() + "/cds-services/" + service, request.toString(), "application/json");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        CdsScenarios.checkCards(CdsCalls.json(response.body()), call.select() ? scenario.select() : scenario.sign());
    }

    /** A prefetch query as an EHR runs it against its FHIR server (here: this server). */
    private static JsonNode read(ServerProcess server, String query) {
        Http.Response read = Http.get(server.fhirBase() + "/" + query);
        assertThat(read.status()).as(query + ": " + read.body()).isEqualTo(200);
        return CdsCalls.json(read.body());
    }
}

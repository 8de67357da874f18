package org.rasguard.cdshooks;

import java.util.List;
import java.util.Optional;

/** The services RAS Guard offers: the anti-EGFR RAS check on order-sign and on order-select. */
public final class CdsServices {

    public static final String ORDER_SIGN_ID = "rasguard-anti-egfr-order-sign";
    public static final String ORDER_SELECT_ID = "rasguard-anti-egfr-order-select";

    private static final String USAGE = "Needs context.patientId and context.draftOrders (MedicationRequests), and the "
            + "prefetch keys patient, conditions, observations and medications (reports, and the medication history keys "
            + "medicationHistory, medicationAdministrations and medicationStatements for re-challenge, when they "
            + "decide); keys not prefetched are read from "
            + "fhirServer with fhirAuthorization when that server is on the service's allowlist, otherwise the call "
            + "answers 412. RAS results are also looked up in RAS Guard's own genomics store, matching the patient by "
            + "id or by Patient.identifier.";

    private static final List<ServiceDefinition> SERVICES = List.of(
            new ServiceDefinition(ORDER_SIGN_ID, Hook.ORDER_SIGN,
                    "RAS check for cetuximab and panitumumab (order-sign)",
                    "Checks every draft cetuximab or panitumumab order for a colorectal cancer patient against the "
                            + "patient's RAS (KRAS and NRAS) status: a critical card when RAS is mutated, a warning "
                            + "suggesting extended RAS testing when it is unknown, an information card for the approved "
                            + "KRAS G12C combinations, and a warning suggesting plasma (ctDNA) RAS testing when RAS is "
                            + "wild-type but not in plasma since an earlier anti-EGFR course ended (re-challenge).",
                    USAGE, PrefetchKey.templates()),
            new ServiceDefinition(ORDER_SELECT_ID, Hook.ORDER_SELECT,
                    "RAS check for cetuximab and panitumumab (order-select)",
                    "Checks a newly selected cetuximab or panitumumab order for a colorectal cancer patient against "
                            + "the patient's RAS (KRAS and NRAS) status, with the same cards as on order-sign; only "
                            + "the orders in context.selections are evaluated.",
                    USAGE, PrefetchKey.templates()));

    private CdsServices() {}

    public static List<ServiceDefinition> all() {
        return SERVICES;
    }

    public static Optional<ServiceDefinition> byId(String id) {
        return SERVICES.stream().filter(service -> service.id().equals(id)).findFirst();
    }
}

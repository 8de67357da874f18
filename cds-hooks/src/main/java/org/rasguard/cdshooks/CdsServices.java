package org.rasguard.cdshooks;

import java.util.List;
import java.util.Optional;

/**
 * The services RAS Guard offers: the anti-EGFR RAS check on order-sign and on order-select, and the
 * late results and RAS testing reminders on patient-view.
 */
public final class CdsServices {

    public static final String ORDER_SIGN_ID = "rasguard-anti-egfr-order-sign";
    public static final String ORDER_SELECT_ID = "rasguard-anti-egfr-order-select";
    public static final String PATIENT_VIEW_ID = "rasguard-ras-testing-patient-view";

    private static final String CHART_USAGE =
            "Needs context.patientId, and the prefetch keys patient, conditions, observations, "
                    + "reports, serviceRequests, specimens and staging; keys not prefetched are read from fhirServer with fhirAuthorization "
                    + "when that server is on the service's allowlist. Without the diagnoses or the results the call answers 412, unless "
                    + "a late result is shown. Late results are found in RAS Guard's own store, matching the patient by id or by "
                    + "Patient.identifier as for the order services.";

    private static final String USAGE = "Needs context.patientId and context.draftOrders (MedicationRequests), and the "
            + "prefetch keys patient, conditions, observations and medications (reports, and the medication history keys "
            + "medicationHistory, medicationAdministrations and medicationStatements for re-challenge, when they "
            + "decide); keys not prefetched are read from "
            + "fhirServer with fhirAuthorization when that server is on the service's allowlist, otherwise the call "
            + "answers 412. RAS results are also looked up in RAS Guard's own genomics store, matching the patient by "
            + "id or by Patient.identifier.";

    private static final List<ServiceDefinition> SERVICES = List.of(
            new ServiceDefinition(
                    ORDER_SIGN_ID,
                    Hook.ORDER_SIGN,
                    "RAS check for cetuximab and panitumumab (order-sign)",
                    "Checks every draft cetuximab or panitumumab order for a colorectal cancer patient against the "
                            + "patient's RAS (KRAS and NRAS) status: a critical card when RAS is mutated, a warning "
                            + "suggesting extended RAS testing when it is unknown, an information card for the approved "
                            + "KRAS G12C combinations, and a warning suggesting plasma (ctDNA) RAS testing when RAS is "
                            + "wild-type but not in plasma since an earlier anti-EGFR course ended (re-challenge).",
                    USAGE,
                    PrefetchKey.ORDER),
            new ServiceDefinition(
                    ORDER_SELECT_ID,
                    Hook.ORDER_SELECT,
                    "RAS check for cetuximab and panitumumab (order-select)",
                    "Checks a newly selected cetuximab or panitumumab order for a colorectal cancer patient against "
                            + "the patient's RAS (KRAS and NRAS) status, with the same cards as on order-sign; only "
                            + "the orders in context.selections are evaluated.",
                    USAGE,
                    PrefetchKey.ORDER),
            new ServiceDefinition(
                    PATIENT_VIEW_ID,
                    Hook.PATIENT_VIEW,
                    "Late RAS results and RAS testing reminders (patient-view)",
                    "On opening the chart: a critical card for each anti-EGFR order that a RAS result stored later contradicts "
                            + "(an open late-result DetectedIssue), with feedback that records what was done; for metastatic "
                            + "colorectal cancer whose RAS status is unknown or never tested, an information card suggesting "
                            + "extended RAS testing; for a metastasis documented after a RAS result of the primary, an "
                            + "information card suggesting testing of the metastasis. At most one testing reminder per patient "
                            + "per RASGUARD_REMINDER_DAYS, none while a RAS test is ordered.",
                    CHART_USAGE,
                    PrefetchKey.CHART));

    private CdsServices() {}

    public static List<ServiceDefinition> all() {
        return SERVICES;
    }

    public static Optional<ServiceDefinition> byId(String id) {
        return SERVICES.stream().filter(service -> service.id().equals(id)).findFirst();
    }
}

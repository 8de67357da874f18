package org.rasguard.cdshooks;

import java.util.Arrays;
import java.util.Optional;

/** The hooks RAS Guard answers. */
public enum Hook {
    /** Fired when a clinician selects orders; only {@code context.selections} are new. */
    ORDER_SELECT("order-select"),
    /** Fired when a clinician signs orders; every draft order is evaluated (re-signing is allowed). */
    ORDER_SIGN("order-sign"),
    /** Fired when a clinician opens a patient's chart: late results and testing reminders; no orders in context. */
    PATIENT_VIEW("patient-view");

    private final String id;

    Hook(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<Hook> of(String id) {
        return Arrays.stream(values()).filter(hook -> hook.id.equals(id)).findFirst();
    }
}

package org.rasguard.server.auth;

import java.util.List;
import org.rasguard.server.auth.SmartScopes.Grant;
import org.rasguard.server.auth.SmartScopes.Level;

/**
 * What one verified FHIR access token may read: its SMART grants and its {@code patient} claim. The
 * guards that keep a write from showing what the token could not read ({@link ConditionalUrlGuard},
 * {@link UnreadableResponseFilter}, {@link UniformNotFound}) ask it.
 *
 * @param patient the token's patient in context, or null
 */
record TokenAccess(List<Grant> grants, String patient) {

    TokenAccess {
        grants = List.copyOf(grants);
    }

    /** Reads every resource of this type ({@code system/} or {@code user/} read on it or on {@code *}). */
    boolean readsAll(String resourceType) {
        return grants.stream()
                .anyMatch(grant -> grant.level() != Level.PATIENT && grant.read() && covers(grant, resourceType));
    }

    /** Reads this type inside its patient's compartment only (a {@code patient/} read and a patient in context). */
    boolean readsOnlyInCompartment(String resourceType) {
        return patient != null
                && !readsAll(resourceType)
                && grants.stream()
                        .anyMatch(
                                grant -> grant.level() == Level.PATIENT && grant.read() && covers(grant, resourceType));
    }

    /** Has a {@code patient/} grant that reaches something: a patient in context. */
    boolean patientScoped() {
        return patient != null && grants.stream().anyMatch(grant -> grant.level() == Level.PATIENT);
    }

    private static boolean covers(Grant grant, String resourceType) {
        return grant.resourceType().equals("*") || grant.resourceType().equals(resourceType);
    }
}

package org.rasguard.server.http;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.DecimalType;

/**
 * Refuses (400) a resource holding a decimal out of {@link NumberLimits}, whatever its encoding: the
 * JSON ones are stopped earlier by {@link JsonGuardFilter}, this catches XML ({@code <value
 * value="1e999999999"/>}) and everything inside transaction Bundles, before storage indexes it.
 */
@Interceptor
public final class DecimalRangeInterceptor {

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void check(RequestDetails request) {
        IBaseResource resource = request.getResource();
        if (resource == null) {
            return;
        }
        for (DecimalType decimal :
                request.getFhirContext().newTerser().getAllPopulatedChildElementsOfType(resource, DecimalType.class)) {
            if (!NumberLimits.withinRange(decimal.getValueAsString())) {
                throw new InvalidRequestException("A decimal value is out of range (magnitude below 10^300, at most "
                        + NumberLimits.MAX_SCALE + " decimal places).");
            }
        }
    }
}

package org.rasguard.server.http;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;

/**
 * Input that HAPI fails on deep inside, answering 500, although the fault is the client's; found by
 * the fuzz run. This answers 400 with an OperationOutcome instead:
 * <ul>
 *   <li>a form-encoded body (a POST search, {@code $expand}) with broken percent-escapes;</li>
 *   <li>a number HAPI cannot read ({@code value-quantity=gt1e999999/x}: "Too many nonzero exponent
 *       digits"). Well-formed numbers out of range are refused earlier, in {@link RequestHygieneFilter}.</li>
 * </ul>
 */
@Interceptor
public final class BadInputExceptionMapper {

    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException asBadRequest(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof IllegalArgumentException && cause.getMessage() != null
                    && cause.getMessage().startsWith("URLDecoder:")) {
                return new InvalidRequestException("A parameter is not valid percent-encoded UTF-8.");
            }
            if (cause instanceof org.springframework.dao.InvalidDataAccessApiUsageException) {
                return new InvalidRequestException("A paging parameter (_offset, _count) is out of range.");
            }
            if (cause instanceof NumberFormatException || cause instanceof ArithmeticException) {
                return new InvalidRequestException("A number in the request is malformed or out of range.");
            }
        }
        return null;
    }
}

package org.rasguard.server.metrics;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.rasguard.server.ingest.IngestValidationInterceptor;

/**
 * Counts what clients store through the FHIR API: resources created and updated by type
 * ({@code rasguard_ingest_resources_total}), and the validation warnings reported back
 * ({@code rasguard_ingest_validation_warnings_total}, read from the
 * {@value IngestValidationInterceptor#HEADER} header that ingest validation sets).
 *
 * <p>Registered on the RestfulServer only, so the server's own writes (knowledge, audit) are not
 * counted. Writes are counted when the request completes normally: a transaction that fails and
 * rolls back counts nothing.
 */
@Interceptor
public final class IngestMetricsInterceptor {

    private static final String STORED = IngestMetricsInterceptor.class.getName() + ".stored";

    private final Metrics metrics;

    public IngestMetricsInterceptor(Metrics metrics) {
        this.metrics = metrics;
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource, RequestDetails request) {
        stored(request).add(new String[] {resource.fhirType(), "create"});
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource, RequestDetails request) {
        stored(request).add(new String[] {resource.fhirType(), "update"});
    }

    @Hook(Pointcut.SERVER_PROCESSING_COMPLETED_NORMALLY)
    public void completed(ServletRequestDetails request) {
        @SuppressWarnings("unchecked")
        List<String[]> stored = (List<String[]>) request.getUserData().get(STORED);
        if (stored != null) {
            stored.forEach(entry -> metrics.ingested(entry[0], entry[1]));
        }
        String header = request.getServletResponse() == null
                ? null
                : request.getServletResponse().getHeader(IngestValidationInterceptor.HEADER);
        if (header != null && header.startsWith("warnings=")) {
            try {
                metrics.validationWarnings(
                        Integer.parseInt(header.substring("warnings=".length()).trim()));
            } catch (NumberFormatException ignored) {
                // not ours to fix here
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String[]> stored(RequestDetails request) {
        if (request == null) {
            return new ArrayList<>();
        }
        return (List<String[]>) request.getUserData().computeIfAbsent(STORED, key -> new ArrayList<String[]>());
    }
}

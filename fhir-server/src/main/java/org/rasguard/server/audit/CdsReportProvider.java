package org.rasguard.server.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.RestfulServerUtils;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.DateTimeType;

/**
 * {@code GET /fhir/$cds-report?start=…&end=…}: override analytics ({@link CdsReport}) over the decision
 * AuditEvents recorded in [start, end) (default: the last 30 days) and the feedback received since
 * start. Answers a FHIR Parameters resource, or a small HTML table with {@code _format=html} or an
 * {@code Accept} asking for {@code text/html} (a browser). The AuditEvents are read page by page through
 * the {@code type} and {@code date} search indexes, keeping only counts and times in memory.
 */
public final class CdsReportProvider {

    static final int PAGE = 500;
    private static final Duration DEFAULT_WINDOW = Duration.ofDays(30);

    private final IFhirResourceDao<AuditEvent> auditEvents;
    private final FhirContext fhir;

    public CdsReportProvider(IFhirResourceDao<AuditEvent> auditEvents, FhirContext fhir) {
        this.auditEvents = auditEvents;
        this.fhir = fhir;
    }

    @Operation(name = "$cds-report", idempotent = true, manualResponse = true)
    public void report(
            @OperationParam(name = "start", max = 1) DateTimeType start,
            @OperationParam(name = "end", max = 1) DateTimeType end,
            ServletRequestDetails request)
            throws IOException {
        Instant to = end == null || end.getValue() == null
                ? Instant.now()
                : end.getValue().toInstant();
        Instant from = start == null || start.getValue() == null
                ? to.minus(DEFAULT_WINDOW)
                : start.getValue().toInstant();
        if (!from.isBefore(to)) {
            throw new InvalidRequestException("start must be before end");
        }
        CdsReport report = compute(from, to);
        HttpServletResponse response = request.getServletResponse();
        response.setStatus(200);
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        if (wantsHtml(request)) {
            response.setContentType("text/html;charset=utf-8");
            response.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
            response.getOutputStream().write(report.toHtml().getBytes(StandardCharsets.UTF_8));
            return;
        }
        EncodingEnum encoding =
                RestfulServerUtils.determineResponseEncodingWithDefault(request).getEncoding();
        if (encoding == EncodingEnum.XML) {
            response.setContentType(Constants.CT_FHIR_XML_NEW + ";charset=utf-8");
            response.getOutputStream()
                    .write(fhir.newXmlParser()
                            .encodeResourceToString(report.toParameters())
                            .getBytes(StandardCharsets.UTF_8));
        } else {
            response.setContentType(Constants.CT_FHIR_JSON_NEW + ";charset=utf-8");
            response.getOutputStream()
                    .write(fhir.newJsonParser()
                            .encodeResourceToString(report.toParameters())
                            .getBytes(StandardCharsets.UTF_8));
        }
    }

    CdsReport compute(Instant from, Instant to) {
        List<AuditRecords.DecisionRecord> decisions = new ArrayList<>();
        List<AuditRecords.FeedbackRecord> feedback = new ArrayList<>();
        each(
                DecisionAuditEvents.DECISION,
                from,
                to,
                event -> AuditRecords.decision(event).ifPresent(decisions::add));
        each(
                DecisionAuditEvents.FEEDBACK,
                from,
                null,
                event -> AuditRecords.feedback(event).ifPresent(feedback::add));
        return CdsReport.compute(from, to, decisions, feedback);
    }

    private void each(String type, Instant from, Instant to, Consumer<AuditEvent> consumer) {
        SearchParameterMap map = new SearchParameterMap();
        map.add(AuditEvent.SP_TYPE, new TokenParam(DecisionAuditEvents.TYPE_SYSTEM, type));
        DateRangeParam range = new DateRangeParam().setLowerBound(new DateParam("ge" + instant(from)));
        if (to != null) {
            range.setUpperBound(new DateParam("lt" + instant(to)));
        }
        map.add(AuditEvent.SP_DATE, range);
        SystemRequestDetails request = new SystemRequestDetails();
        request.addHeader(
                Constants.HEADER_CACHE_CONTROL, Constants.CACHE_CONTROL_NO_CACHE); // never a cached, older answer
        IBundleProvider results = auditEvents.search(map, request);
        for (int offset = 0; ; offset += PAGE) {
            List<IBaseResource> page = results.getResources(offset, offset + PAGE);
            page.forEach(resource -> consumer.accept((AuditEvent) resource));
            Integer size = results.size();
            if (page.isEmpty() || (size != null && offset + PAGE >= size)) {
                return;
            }
        }
    }

    static String instant(Instant instant) {
        return new DateTimeType(Date.from(instant), TemporalPrecisionEnum.MILLI, java.util.TimeZone.getTimeZone("UTC"))
                .getValueAsString();
    }

    static boolean wantsHtml(ServletRequestDetails request) {
        String[] format = request.getParameters().get(Constants.PARAM_FORMAT);
        if (format != null && format.length > 0) {
            return format[0].toLowerCase(Locale.ROOT).contains("html");
        }
        String accept = request.getHeader(Constants.HEADER_ACCEPT);
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/html");
    }
}

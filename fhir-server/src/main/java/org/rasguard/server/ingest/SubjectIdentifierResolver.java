package org.rasguard.server.ingest;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Specimen;
import org.rasguard.patients.EvidenceConfinement;

/**
 * Gives a result whose subject is only an identifier ({@code "subject": {"identifier": {MRN}}}, as HL7
 * v2 converters and some lab interfaces send) the reference to our one Patient with that identifier,
 * when it is posted. Without it, such a result is about no one we can find, and never reaches a
 * decision. With no such Patient, or with two, the subject is left as sent: guessing would attach a
 * result to the wrong person. Conditional references ({@code Patient?identifier=…}) HAPI resolves itself.
 *
 * @see <a href="https://hl7.org/fhir/R4/references.html#logical">FHIR R4 logical references (Reference.identifier)</a>
 */
@Interceptor
public final class SubjectIdentifierResolver {

    private final DaoRegistry daos;

    public SubjectIdentifierResolver(DaoRegistry daos) {
        this.daos = daos;
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        resolve(resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource) {
        resolve(resource);
    }

    private void resolve(IBaseResource resource) {
        Reference subject =
                resource instanceof Observation || resource instanceof DiagnosticReport || resource instanceof Specimen
                        ? EvidenceConfinement.subject((org.hl7.fhir.r4.model.Resource) resource)
                        : null;
        if (subject == null || subject.hasReference() || !subject.hasIdentifier()) {
            return;
        }
        Identifier identifier = subject.getIdentifier();
        if (!identifier.hasSystem() || !identifier.hasValue()) {
            return;
        }
        SearchParameterMap query = SearchParameterMap.newSynchronous(
                "identifier", new TokenParam(identifier.getSystem(), identifier.getValue()));
        query.setLoadSynchronousUpTo(2);
        List<IBaseResource> patients = daos.getResourceDao("Patient")
                .search(query, new SystemRequestDetails())
                .getResources(0, 2);
        if (patients.size() == 1) {
            subject.setReference("Patient/" + patients.get(0).getIdElement().getIdPart());
        }
    }
}

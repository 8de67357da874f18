package org.rasguard.server.ingest;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.validation.IInstanceValidatorModule;
import ca.uhn.fhir.validation.IValidationContext;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Parameters;
import org.rasguard.server.config.ServerConfig;
import org.rasguard.server.http.FhirCharacters;
import org.rasguard.server.ingest.IngestValidator.Issue;

/**
 * What {@code $validate} (type and instance level, a resource or a Parameters body) validates with:
 * the ingest chain ({@link IngestValidator}: FHIR R4, Genomics Reporting 3.0.0, mCODE 4.0.0, ours,
 * offline), whatever {@code RASGUARD_VALIDATION} says, even {@code off}. HAPI's JPA DAOs take the
 * {@link IInstanceValidatorModule} bean for {@code $validate}; this is that bean (primary), so the
 * operation answers what ingest would say about the same resource.
 *
 * <p>Severities follow what ingest would do with it at the server's mode, so that an outcome without
 * errors means the resource would be stored, as the spec asks of {@code $validate}'s {@code return}
 * ("If the operation outcome does not list any errors, and a mode was specified, then this is an
 * indication that the operation would be expected to succeed"):
 * <ul>
 *   <li>invalid FHIR (refused by ingest with 400): error;</li>
 *   <li>a deviation from a declared profile: a warning, as ingest reports it in {@code warn} (and as
 *       {@code off}, which stores anything, is treated); an error in {@code strict}, where ingest refuses it;</li>
 *   <li>warnings: warnings.</li>
 * </ul>
 * The HTTP answer is 200 whether or not the resource is valid (HAPI's DAO returns the outcome): FHIR R4
 * OperationDefinition Resource-validate, comment: "This operation returns a 200 OK whether or not the
 * resource is valid. A 4xx or 5xx error means that the validation itself could not be performed, and it
 * is unknown whether the resource is valid or not." Hence a nominated {@code profile} we do not have
 * is a 400 ("If a profile is nominated, and the server cannot validate against the nominated profile,
 * it SHALL return an error"), not a warning.
 *
 * @see <a href="https://hl7.org/fhir/R4/resource-operation-validate.html">FHIR R4 Resource $validate</a>
 */
public final class ValidateOperationModule implements IInstanceValidatorModule {

    /** The in-parameters of Resource-validate. */
    private static final java.util.Set<String> VALIDATE_PARAMETERS = java.util.Set.of("resource", "mode", "profile");

    private final IngestValidator validator;
    private final ServerConfig.Validation mode;

    public ValidateOperationModule(IngestValidator validator, ServerConfig.Validation mode) {
        this.validator = validator;
        this.mode = mode;
    }

    @Override
    public void validateResource(IValidationContext<IBaseResource> context) {
        List<String> profiles = context.getOptions().getProfiles().stream().toList();
        for (String profile : profiles) {
            if (!validator.knowsProfile(profile)) {
                throw new InvalidRequestException(
                        "The profile " + profile + " is not known to this server: the resource "
                                + "could not be validated against it (FHIR Genomics Reporting 3.0.0, mCODE 4.0.0, FHIR R4 and "
                                + "RAS Guard's own profiles are)");
            }
        }
        IBaseResource resource = context.getResource();
        String body = context.getResourceAsString();
        IBaseResource inner = resourceOfValidateParameters(resource);
        if (inner != null) {
            // HAPI hands the DAO the whole request body; of the Parameters form, the resource is what is validated.
            resource = inner;
            body = null;
        }
        if (FhirCharacters.anyInvalidIn(context.getFhirContext(), resource)) {
            // Ingest refuses it before storage (fhir.StoredCharacters); an outcome without errors must mean it
            // would be stored (XML reads &#x1; and a raw U+FFFE that JSON bodies are refused for earlier).
            SingleValidationMessage message = new SingleValidationMessage();
            message.setSeverity(ResultSeverityEnum.ERROR);
            message.setLocationString(resource.fhirType());
            message.setMessage("The " + resource.fhirType() + " holds " + FhirCharacters.DESCRIPTION
                    + ": it would be refused (" + FhirCharacters.INVALID + ").");
            context.addValidationMessage(message);
        }
        List<Issue> issues = validator.validate(resource, body == null || body.isBlank() ? null : body, profiles);
        for (Issue issue : issues) {
            SingleValidationMessage message = new SingleValidationMessage();
            message.setSeverity(severity(issue));
            message.setLocationString(issue.location());
            message.setMessage(issue.message());
            context.addValidationMessage(message);
        }
    }

    /**
     * The {@code resource} of a body in {@code $validate}'s Parameters form (parameters {@code resource},
     * {@code mode}, {@code profile} only), or null for any other resource.
     */
    static IBaseResource resourceOfValidateParameters(IBaseResource resource) {
        if (!(resource instanceof Parameters parameters)
                || parameters.getParameter("resource") == null
                || parameters.getParameter("resource").getResource() == null) {
            return null;
        }
        boolean onlyValidateParameters = parameters.getParameter().stream()
                .allMatch(
                        parameter -> parameter.getName() != null && VALIDATE_PARAMETERS.contains(parameter.getName()));
        return onlyValidateParameters ? parameters.getParameter("resource").getResource() : null;
    }

    /** The severity ingest would give the issue at this server's mode. */
    ResultSeverityEnum severity(Issue issue) {
        return switch (issue.kind()) {
            case INVALID_FHIR -> ResultSeverityEnum.ERROR;
            case PROFILE_ERROR ->
                mode == ServerConfig.Validation.STRICT ? ResultSeverityEnum.ERROR : ResultSeverityEnum.WARNING;
            case WARNING -> ResultSeverityEnum.WARNING;
        };
    }
}

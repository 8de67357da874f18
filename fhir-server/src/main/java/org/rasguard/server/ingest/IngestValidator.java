package org.rasguard.server.ingest;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.NpmPackageValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HAPI's instance validator set up for genomic results, offline: FHIR R4, Genomics Reporting 3.0.0,
 * mCODE 4.0.0 and our own package, all read from the classpath once at start. No remote terminology
 * server and no package server are in the chain, so validation never touches the network; codes of
 * systems we cannot check here (LOINC, HGNC, ClinVar, RxNorm …) are not reported.
 *
 * <p>Each message is sorted into one of three kinds, because they are treated differently:
 * <ul>
 *   <li><b>invalid FHIR</b>: an error that remains when the resource is validated against FHIR R4
 *       alone (its {@code meta.profile} claims removed), such as a missing {@code Observation.status}
 *       or a failed core invariant. Terminology messages never count here: an unknown unit or code
 *       is content, not structure. Refused in {@code warn} and {@code strict}.</li>
 *   <li><b>profile error</b>: any other error, i.e. a deviation from a declared profile (a Genomics
 *       Reporting Variant without the {@code GE} category, an STU2-shaped mCODE instance checked
 *       against STU3). Reported as a warning in {@code warn}; refused in {@code strict}.</li>
 *   <li><b>warning</b>: reported, never refused.</li>
 * </ul>
 * The second, FHIR-only pass runs only when the first pass found an error, so valid resources pay
 * for one pass.
 *
 * <p>Resources are checked against the profiles they declare in {@code meta.profile}; nothing is
 * inferred from codes. A declared profile that we do not have (US Core, Genomics Reporting 2.0.0
 * profiles that mCODE 4.0.0 builds on) gives a warning, not an error. Best-practice recommendations
 * ("should have narrative") are switched off: they would drown the messages an integrator can act on.
 *
 * <p>Thread-safe: one instance serves all requests.
 *
 * @see <a href="https://hapifhir.io/hapi-fhir/docs/validation/instance_validator.html">HAPI instance validator</a>
 */
public final class IngestValidator {

    private static final Logger LOG = LoggerFactory.getLogger(IngestValidator.class);

    /** The packages on the classpath (from ig-resources), in the order they are loaded. */
    static final List<String> PACKAGES = List.of(
            "classpath:rasguard/packages/hl7.fhir.uv.genomics-reporting-3.0.0.tgz",
            "classpath:rasguard/packages/hl7.fhir.us.mcode-4.0.0.tgz",
            "classpath:rasguard/rasguard.ig.tgz");

    /** Where a Bundle message sits: {@code Bundle.entry[3].resource/*Observation/x*}/.status}. */
    private static final Pattern ENTRY = Pattern.compile("^Bundle\\.entry\\[(\\d+)]");

    private final FhirContext fhirContext;
    private final NpmPackageValidationSupport packages;
    private final DefaultProfileValidationSupport core;
    private final FhirValidator withProfiles;
    private final FhirValidator fhirOnly;

    /** One validated issue: where, what, how bad, and of which kind. */
    public record Issue(Kind kind, ResultSeverityEnum severity, String location, String message) {

        /** The Bundle entry the issue is in, or -1 when it is not inside an entry. */
        public int entryIndex() {
            Matcher matcher = location == null ? null : ENTRY.matcher(location);
            return matcher != null && matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
        }
    }

    public enum Kind {
        INVALID_FHIR,
        PROFILE_ERROR,
        WARNING
    }

    public IngestValidator(FhirContext fhirContext) {
        long started = System.nanoTime();
        this.fhirContext = fhirContext;
        NpmPackageValidationSupport packages = new NpmPackageValidationSupport(fhirContext);
        try {
            for (String npmPackage : PACKAGES) {
                packages.loadPackageFromClasspath(npmPackage);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read a validation package from the classpath", e);
        }
        this.packages = packages;
        this.core = new DefaultProfileValidationSupport(fhirContext);
        this.withProfiles = validator(fhirContext, core, packages);
        this.fhirOnly = validator(fhirContext, core, null);
        LOG.info("Validation packages loaded in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private static FhirValidator validator(
            FhirContext fhirContext, DefaultProfileValidationSupport core, IValidationSupport packages) {
        // A code of a system we cannot check here (LOINC, HGNC, HGVS, ClinVar …) is accepted without a
        // message. As a WARNING it produced one message per coding (400 for a Bundle of 50 Variants),
        // every one of them filtered out below as noise, and the validator de-duplicates its messages
        // pairwise: they cost about a tenth of the validation time. Codes in ValueSets we ship are
        // still checked against those ValueSets.
        UnknownCodeSystemWarningValidationSupport unknownCodeSystems =
                new UnknownCodeSystemWarningValidationSupport(fhirContext);
        unknownCodeSystems.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.INFORMATION);
        List<IValidationSupport> chain = new ArrayList<>();
        chain.add(core);
        if (packages != null) {
            chain.add(packages);
        }
        chain.add(new CommonCodeSystemsTerminologyService(fhirContext));
        chain.add(new InMemoryTerminologyServerValidationSupport(fhirContext));
        chain.add(new SnapshotGeneratingValidationSupport(fhirContext));
        chain.add(unknownCodeSystems);
        // ValidationSupportChain caches look-ups and expansions itself (HAPI 8).
        FhirInstanceValidator module =
                new FhirInstanceValidator(new ValidationSupportChain(chain.toArray(IValidationSupport[]::new)));
        module.setErrorForUnknownProfiles(false);
        module.setBestPracticeWarningLevel(BestPracticeWarningLevel.Ignore);
        module.setAnyExtensionsAllowed(true);
        return fhirContext
                .newValidator()
                .setValidateAgainstStandardSchema(false)
                .setValidateAgainstStandardSchematron(false)
                .registerValidatorModule(module);
    }

    /**
     * Whether a profile is one this validator has (FHIR R4 core, Genomics Reporting 3.0.0, mCODE 4.0.0,
     * ours), by canonical URL with or without {@code |version}.
     */
    public boolean knowsProfile(String canonical) {
        String url = canonical.contains("|") ? canonical.substring(0, canonical.indexOf('|')) : canonical;
        return packages.fetchStructureDefinition(url) != null || core.fetchStructureDefinition(url) != null;
    }

    /** Validates once and throws the result away: generates the profile snapshots a first request would wait for. */
    public void warmUp(IBaseResource example) {
        long started = System.nanoTime();
        validate(example, null);
        LOG.info("Validation warmed up in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /**
     * A JSON body is validated as received (the validator sees what HAPI's parser would drop: empty
     * strings and arrays, wrong JSON types); an XML body as HAPI parsed it. The validator's own XML
     * reader is a DOM parser without HAPI's HTML entities (and a resource is handed to it as XML): a
     * narrative's {@code &nbsp;}, a byte-order mark, another namespace or a declared encoding it lacks
     * made it print "[Fatal Error] ..." with the names it choked on to stderr and report "Failed to parse
     * input" instead of the profile's findings (so {@code strict} refused valid resources and {@code warn}
     * lost its warnings: an outside attack).
     *
     * @param resource the parsed resource (used for the FHIR-only pass, and, as JSON, for XML bodies)
     * @param body the request body as received, or null to validate {@code resource} as encoded
     * @return the issues worth telling an integrator, errors first
     */
    public List<Issue> validate(IBaseResource resource, String body) {
        return validate(resource, body, List.of());
    }

    /**
     * As {@link #validate(IBaseResource, String)}, and against {@code profiles} too (the {@code profile}
     * parameter of {@code $validate}), besides those the resource declares.
     */
    public List<Issue> validate(IBaseResource resource, String body, java.util.Collection<String> profiles) {
        ValidationOptions options = new ValidationOptions();
        profiles.forEach(options::addProfileIfNotBlank);
        String toValidate =
                body == null ? null : isXml(body) ? fhirContext.newJsonParser().encodeResourceToString(resource) : body;
        List<SingleValidationMessage> first = (toValidate != null
                        ? withProfiles.validateWithResult(toValidate, options)
                        : withProfiles.validateWithResult(resource, options))
                .getMessages();
        boolean anyError = first.stream().anyMatch(IngestValidator::isError);
        List<String> invalidFhir = new ArrayList<>();
        List<Issue> issues = new ArrayList<>();
        if (anyError) {
            for (SingleValidationMessage message :
                    fhirOnly.validateWithResult(withoutProfiles(resource)).getMessages()) {
                if (isError(message) && !isTerminology(message) && !isMissingFullUrl(message)) {
                    invalidFhir.add(key(message));
                    issues.add(new Issue(
                            Kind.INVALID_FHIR,
                            message.getSeverity(),
                            message.getLocationString(),
                            message.getMessage()));
                }
            }
        }
        for (SingleValidationMessage message : first) {
            if (isNoise(message) || invalidFhir.contains(key(message))) {
                continue;
            }
            if (isMissingFullUrl(message) && postedWithoutFullUrl(resource, message)) {
                continue;
            }
            Kind kind = isError(message) ? Kind.PROFILE_ERROR : Kind.WARNING;
            issues.add(new Issue(kind, message.getSeverity(), message.getLocationString(), message.getMessage()));
        }
        issues.sort((a, b) -> a.kind().compareTo(b.kind()));
        return issues;
    }

    /** The same finding in both passes: same place, same check (the texts differ in the profile they name). */
    private static String key(SingleValidationMessage message) {
        return message.getLocationString() + "|" + message.getMessageId();
    }

    /**
     * For a body HAPI's parser refused: every structural error, each with its path. HAPI's parser stops
     * at the first problem and names only the element ({@code [element="value"]}); the validator's
     * lenient reader reports them all, located ({@code Observation.value.ofType(Quantity).value}).
     */
    public List<Issue> locateStructuralErrors(String body) {
        return fhirOnly.validateWithResult(body).getMessages().stream()
                .filter(IngestValidator::isError)
                .map(message -> new Issue(
                        Kind.INVALID_FHIR, message.getSeverity(), message.getLocationString(), message.getMessage()))
                .toList();
    }

    /** Its first character other than white space and a byte-order mark is '<'. */
    static boolean isXml(String body) {
        return body.startsWith("<", contentStart(body));
    }

    /** The index of the body's first character other than white space and a byte-order mark. */
    static int contentStart(String body) {
        int first = 0;
        while (first < body.length()
                && (Character.isWhitespace(body.charAt(first)) || body.charAt(first) == '\uFEFF')) {
            first++;
        }
        return first;
    }

    private static boolean isError(SingleValidationMessage message) {
        return message.getSeverity() == ResultSeverityEnum.ERROR || message.getSeverity() == ResultSeverityEnum.FATAL;
    }

    private static boolean isTerminology(SingleValidationMessage message) {
        String id = message.getMessageId();
        return id != null
                && (id.startsWith("Terminology_")
                        || id.startsWith("TERMINOLOGY_")
                        || id.contains("_TX_")
                        || id.startsWith("TYPE_SPECIFIC_CHECKS_DT_QTY")
                        || id.contains("UCUM"));
    }

    /**
     * The validator's "entry missing fullUrl" and "relative reference in an entry without fullUrl".
     * FHIR R4 lets a transaction or batch POST entry go without a fullUrl (its relative references
     * are to stored resources, and HAPI resolves them so); any other entry without one is a profile
     * error: stored with a warning in {@code warn} mode, refused in {@code strict}.
     *
     * @see <a href="https://hl7.org/fhir/R4/bundle-definitions.html#Bundle.entry.fullUrl">R4 Bundle.entry.fullUrl</a>
     */
    private static boolean isMissingFullUrl(SingleValidationMessage message) {
        String text = message.getMessage();
        return text != null
                && (text.contains("entry missing fullUrl") || text.contains("whose entry is missing a fullUrl"));
    }

    private static boolean postedWithoutFullUrl(IBaseResource resource, SingleValidationMessage message) {
        if (!(resource instanceof Bundle bundle)
                || bundle.getType() == null
                || !(bundle.getType() == Bundle.BundleType.TRANSACTION
                        || bundle.getType() == Bundle.BundleType.BATCH)) {
            return false;
        }
        int index = new Issue(Kind.WARNING, message.getSeverity(), message.getLocationString(), message.getMessage())
                .entryIndex();
        return index >= 0
                && index < bundle.getEntry().size()
                && bundle.getEntry().get(index).getRequest().getMethod() == Bundle.HTTPVerb.POST;
    }

    /** Information, and "we could not check this code" (no LOINC, HGNC … here): nothing an integrator can fix. */
    private static boolean isNoise(SingleValidationMessage message) {
        if (message.getSeverity() == ResultSeverityEnum.INFORMATION) {
            return true;
        }
        String text = message.getMessage();
        return message.getSeverity() == ResultSeverityEnum.WARNING
                && text != null
                && (text.contains("CodeSystem is unknown and can't be validated")
                        || text.contains("A definition for CodeSystem"));
    }

    /** A copy without any {@code meta.profile}, in the resource, its contained resources and Bundle entries. */
    private IBaseResource withoutProfiles(IBaseResource resource) {
        Resource copy = ((Resource) resource).copy();
        strip(copy);
        return copy;
    }

    private static void strip(Resource resource) {
        if (resource == null) {
            return;
        }
        if (resource.hasMeta()) {
            resource.getMeta().getProfile().clear();
        }
        if (resource instanceof DomainResource domain) {
            domain.getContained().forEach(IngestValidator::strip);
        }
        if (resource instanceof Bundle bundle) {
            bundle.getEntry().forEach(entry -> strip(entry.getResource()));
        }
    }

    FhirContext fhirContext() {
        return fhirContext;
    }
}

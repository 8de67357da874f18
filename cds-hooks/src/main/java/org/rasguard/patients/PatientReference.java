package org.rasguard.patients;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Reference;

/**
 * The Patient a reference names, read strictly: {@code Patient/{id}}, optionally absolute and with
 * {@code /_history/{version}}, exactly as FHIR R4 writes a literal reference. Anything else
 * ({@code patient/x}, {@code Patient/x/../y}, a leading space, a Group, a conditional or {@code urn:}
 * reference, a bare id) names no Patient we can be sure of: a decision about one patient must not
 * rest on a guess at another reference's meaning.
 *
 * @see <a href="https://hl7.org/fhir/R4/references.html#literal">FHIR R4 literal references</a>
 */
public final class PatientReference {

    private static final Pattern LITERAL = Pattern.compile(
            "^(?:https?://[^\\s/?#]+(?:/[^\\s/?#]+)*/)?Patient/([A-Za-z0-9\\-.]{1,64})(?:/_history/[A-Za-z0-9\\-.]{1,64})?$");

    private PatientReference() {}

    /** The Patient id of a literal Patient reference, else empty. */
    public static Optional<String> patientId(Reference reference) {
        if (reference == null || !reference.hasReference()) {
            return Optional.empty();
        }
        String target = reference.getReference();
        if (target.length() > 2048 || target.contains("/../") || target.contains("/./")) {
            return Optional.empty();
        }
        Matcher matcher = LITERAL.matcher(target);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}

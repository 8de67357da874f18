package org.rasguard.server.http;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;

/**
 * The characters a FHIR string may hold: those of XML 1.0 ({@code Char}: tab, line feed, carriage return,
 * U+0020-U+D7FF, U+E000-U+FFFD, and U+10000 up as surrogate pairs), which is also what FHIR R4 says of
 * strings ("SHALL NOT contain Unicode character points below 32, except for u0009, u000D and u000A").
 * JSON can carry the others escaped ({@code \u0000}, {@code \uFFFE}, a lone {@code \uD800}); stored, one
 * makes every XML answer holding the resource malformed (outside attacks: half a resource and then an
 * error, or an {@code &#xfffe;} no XML parser reads).
 */
public final class FhirCharacters {

    /** The stable code of the refusal. */
    public static final String INVALID = "invalid-character";
    /** What such a character is, in the words of every refusal and issue that names one. */
    public static final String DESCRIPTION = "a character FHIR strings cannot (a control character below U+0020"
            + " other than tab, line feed and carriage return, U+FFFE, U+FFFF or a lone surrogate)";

    private FhirCharacters() {}

    /** Whether {@code text[from, to)} holds a character a FHIR string may not. */
    public static boolean anyInvalid(char[] text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text[i];
            if (c >= 0x20 && c < 0xD800) {
                continue; // the common case, first
            }
            if (c < 0x20) {
                if (c != '\t' && c != '\n' && c != '\r') {
                    return true;
                }
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 >= to || !Character.isLowSurrogate(text[i + 1])) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c) || c == 0xFFFE || c == 0xFFFF) {
                return true;
            }
        }
        return false;
    }

    public static boolean anyInvalid(String text) {
        return text != null && anyInvalid(text.toCharArray(), 0, text.length());
    }

    /** Whether any primitive value of the resource (extensions and contained resources included) holds one. */
    public static boolean anyInvalidIn(FhirContext fhir, IBaseResource resource) {
        for (IPrimitiveType<?> value :
                fhir.newTerser().getAllPopulatedChildElementsOfType(resource, IPrimitiveType.class)) {
            if (anyInvalid(value.getValueAsString())) {
                return true;
            }
        }
        return false;
    }
}

package org.rasguard.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Checks a JSON request body in one streaming pass before any parser builds objects from it, and
 * refuses with 400 what would hurt the server rather than the request:
 *
 * <ul>
 *   <li>nesting deeper than {@link #MAX_DEPTH} (recursive parsers and validators downstream: HAPI's
 *       FHIR parser allows 1000 levels, the FHIR validator's Gson 255 and then throws);
 *   <li>a number whose exponent is beyond ±{@link #MAX_EXPONENT}: HAPI's JSON parser turns every
 *       decimal into {@code BigDecimal.toPlainString()}, and {@code 1e999999999} would be a billion
 *       digits (found by the fuzz test: an OutOfMemoryError);
 *   <li>numbers longer than 1000 characters or otherwise out of {@link NumberLimits} (an Observation
 *       value of 10^900 made HAPI's quantity index infinite and the write a 500);
 *   <li>a character FHIR strings cannot hold, in a string or a name ({@link FhirCharacters}): stored, it
 *       broke every XML answer that held it.
 * </ul>
 *
 * For XML bodies the element depth is bounded ({@link #MAX_XML_DEPTH}: the FHIR validator's XML
 * parser recurses per level and overflowed its stack at a few thousand, and its JSON reader gives up at
 * 255 JSON levels), a document type is refused ({@link #declaresDoctype}), and so is an element outside
 * the FHIR namespace ({@link FhirXmlNamespace}). Other bodies pass untouched; malformed JSON passes too, for
 * the endpoint's own parser to explain. The body is buffered (it is within the body limit, which runs
 * first) and handed on.
 */
public final class JsonGuardFilter extends HttpFilter {

    public static final int MAX_DEPTH = 200;
    public static final int MAX_EXPONENT = 400;
    /**
     * Half the JSON bound: a repeating element is one XML level but two JSON levels (array, object), and
     * the validator reads every resource as JSON too (Gson, 255 levels): 128 nested extensions in XML, 131
     * levels, were a 500 (an outside attack).
     */
    public static final int MAX_XML_DEPTH = MAX_DEPTH / 2;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(Integer.MAX_VALUE)
                    .build())
            .build();

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request.getContentLengthLong() == 0
                || "GET".equals(request.getMethod())
                || "HEAD".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        boolean form;
        try {
            form = FormBodies.parseIfForm(request);
        } catch (IllegalArgumentException e) {
            Refusals.refuse(
                    request,
                    response,
                    400,
                    "invalid",
                    "unreadable-form",
                    "The form body could not be read (malformed, or larger than the form limit).");
            return;
        }
        if (form) {
            chain.doFilter(
                    FormBodies.asParameters(request), response); // read by the container (the body limit ran first)
            return;
        }
        byte[] body = request.getInputStream().readAllBytes();
        String problem = looksLikeJson(body) ? check(body) : checkXml(body);
        if (problem != null) {
            Refusals.refuse(
                    request,
                    response,
                    400,
                    "invalid",
                    problem,
                    switch (problem) {
                        case "json-too-deep" -> "The JSON is nested deeper than " + MAX_DEPTH + " levels.";
                        case "xml-too-deep" -> "The XML is nested deeper than " + MAX_XML_DEPTH + " levels.";
                        case "xml-namespace" ->
                            "An XML element is outside the FHIR namespace: FHIR XML elements are in "
                                    + FhirXmlNamespace.FHIR
                                    + " (a narrative's div in XHTML's).";
                        case "xml-doctype" ->
                            "The XML declares a document type (<!DOCTYPE ...>); FHIR XML has none, and its entities are"
                                    + " never read.";
                        case FhirCharacters.INVALID ->
                            "The JSON holds " + FhirCharacters.DESCRIPTION + " in a string or a name.";
                        default ->
                            "The JSON holds a number out of range (at most 1000 characters, exponent within ±"
                                    + MAX_EXPONENT + ").";
                    });
            return;
        }
        chain.doFilter(new BufferedBodyRequest(request, body), response);
    }

    /** The stable error code of an XML body's first problem, or null (also when it is no XML). */
    static String checkXml(byte[] body) {
        if (declaresDoctype(body)) {
            return "xml-doctype";
        }
        int depth = xmlDepth(body);
        if (depth > MAX_XML_DEPTH) {
            return "xml-too-deep";
        }
        return depth > 0 && FhirXmlNamespace.hasElementOutsideFhir(body) ? "xml-namespace" : null;
    }

    /** The stable error code of the first problem, or null. */
    static String check(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if ((token == JsonToken.VALUE_STRING || token == JsonToken.FIELD_NAME) && hasInvalidCharacter(parser)) {
                    return FhirCharacters.INVALID;
                }
                if ((token == JsonToken.VALUE_NUMBER_FLOAT && exponentTooLarge(parser.getText()))
                        || (token.isNumeric() && !NumberLimits.withinRange(parser.getText()))) {
                    return "number-out-of-range";
                }
            }
            return null;
        } catch (StreamConstraintsException e) {
            String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(java.util.Locale.ROOT);
            return message.contains("depth") ? "json-too-deep" : "number-out-of-range";
        } catch (JsonProcessingException e) {
            return null; // malformed: the endpoint's parser says so in its own words
        } catch (IOException e) {
            return null;
        }
    }

    /** A character FHIR strings may not hold ({@link FhirCharacters}), in a JSON string or name. */
    private static boolean hasInvalidCharacter(JsonParser parser) throws IOException {
        return FhirCharacters.anyInvalid(
                parser.getTextCharacters(), parser.getTextOffset(), parser.getTextOffset() + parser.getTextLength());
    }

    static boolean exponentTooLarge(String number) {
        int e = Math.max(number.indexOf('e'), number.indexOf('E'));
        if (e < 0) {
            return false;
        }
        String exponent = number.substring(e + 1).replace("+", "").replace("-", "");
        return exponent.length() > 4 || Integer.parseInt(exponent) > MAX_EXPONENT;
    }

    /**
     * Whether an XML body's prolog declares a document type. No FHIR resource has one, and it is how
     * external and recursive entities arrive (XXE, "billion laughs"; the FHIR XML page's security note
     * points to OWASP). HAPI's parsers refuse DTDs anyway, but the validator's DOM parse (on
     * {@code $validate}) printed the refusal to stderr and logged it as an error: refused here first, with
     * one stable code, for every endpoint.
     */
    static boolean declaresDoctype(byte[] body) {
        int i = 0;
        while (i < body.length) {
            if (isBlankOrBom(body[i])) {
                i++;
            } else if (startsWith(body, i, "<?")) {
                i = skipPast(body, i + 2, "?>");
            } else if (startsWith(body, i, "<!--")) {
                i = skipPast(body, i + 4, "-->");
            } else {
                // Any other "<!" before the root element is a markup declaration: DOCTYPE in any spelling.
                return startsWith(body, i, "<!");
            }
        }
        return false;
    }

    /**
     * The deepest element nesting of an XML body (0 when it is not XML), by a scan that knows tags,
     * quoted attribute values, comments, CDATA, processing instructions and DOCTYPE; it does not
     * check well-formedness, only bounds the depth a parser would recurse to.
     */
    static int xmlDepth(byte[] body) {
        int i = 0;
        while (i < body.length && isBlankOrBom(body[i])) {
            i++;
        }
        if (i >= body.length || body[i] != '<') {
            return 0;
        }
        int depth = 0;
        int deepest = 0;
        while (i < body.length) {
            if (body[i] != '<') {
                i++;
                continue;
            }
            if (startsWith(body, i, "<!--")) {
                i = skipPast(body, i + 4, "-->");
            } else if (startsWith(body, i, "<![CDATA[")) {
                i = skipPast(body, i + 9, "]]>");
            } else if (startsWith(body, i, "<?")) {
                i = skipPast(body, i + 2, "?>");
            } else if (startsWith(body, i, "<!")) {
                int brackets = 0;
                for (i += 2; i < body.length; i++) {
                    if (body[i] == '[') {
                        brackets++;
                    } else if (body[i] == ']') {
                        brackets--;
                    } else if (body[i] == '>' && brackets <= 0) {
                        i++;
                        break;
                    }
                }
            } else {
                boolean closing = i + 1 < body.length && body[i + 1] == '/';
                byte quote = 0;
                byte previous = 0;
                for (i++; i < body.length; i++) {
                    byte b = body[i];
                    if (quote != 0) {
                        if (b == quote) {
                            quote = 0;
                        }
                    } else if (b == '"' || b == '\'') {
                        quote = b;
                    } else if (b == '>') {
                        break;
                    }
                    previous = b;
                }
                i++;
                if (closing) {
                    depth--;
                } else {
                    deepest = Math.max(deepest, depth + 1);
                    if (previous != '/') {
                        depth++;
                    }
                }
            }
        }
        return deepest;
    }

    private static boolean startsWith(byte[] body, int at, String prefix) {
        if (at + prefix.length() > body.length) {
            return false;
        }
        for (int k = 0; k < prefix.length(); k++) {
            if (body[at + k] != prefix.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static int skipPast(byte[] body, int from, String end) {
        for (int i = from; i < body.length; i++) {
            if (startsWith(body, i, end)) {
                return i + end.length();
            }
        }
        return body.length;
    }

    private static boolean looksLikeJson(byte[] body) {
        for (int i = 0; i < body.length; i++) {
            int b = body[i] & 0xff;
            if (b == '{' || b == '[') {
                return true;
            }
            if (!isBlankOrBom(body[i])) {
                return false;
            }
        }
        return false;
    }

    /** JSON or XML white space, or a byte of the UTF-8 byte-order mark (EF BB BF): what may precede a body. */
    private static boolean isBlankOrBom(byte raw) {
        int b = raw & 0xff;
        return b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == 0xef || b == 0xbb || b == 0xbf;
    }
}

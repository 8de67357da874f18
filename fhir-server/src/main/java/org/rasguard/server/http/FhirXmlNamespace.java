package org.rasguard.server.http;

import ca.uhn.fhir.util.XmlUtil;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import javax.xml.stream.XMLEventReader;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.events.StartElement;
import javax.xml.stream.events.XMLEvent;

/**
 * Whether an XML body keeps FHIR's namespace rule (FHIR R4 XML Representation, "XML Namespace"): every
 * element is in {@code http://hl7.org/fhir}, but for the XHTML of a narrative {@code div}. HAPI's parser
 * reads elements by local name, so a document in no namespace or in another one was stored as a FHIR
 * resource (an outside attack): such a document is some other format, and is refused.
 */
final class FhirXmlNamespace {

    static final String FHIR = "http://hl7.org/fhir";
    static final String XHTML = "http://www.w3.org/1999/xhtml";

    private FhirXmlNamespace() {}

    /**
     * True when an element outside a narrative is in another namespace than FHIR's. A body that is not
     * well-formed XML is not judged here (false): the endpoint's parser says what is wrong with it.
     */
    static boolean hasElementOutsideFhir(byte[] body) {
        try {
            XMLEventReader reader = XmlUtil.createXmlReader(
                    new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
            int insideXhtml = 0;
            while (reader.hasNext()) {
                XMLEvent event = reader.nextEvent();
                if (event.isStartElement()) {
                    String namespace = namespaceOf(event.asStartElement());
                    if (insideXhtml > 0 || XHTML.equals(namespace)) {
                        insideXhtml++;
                    } else if (!FHIR.equals(namespace)) {
                        return true;
                    }
                } else if (event.isEndElement() && insideXhtml > 0) {
                    insideXhtml--;
                }
            }
            return false;
        } catch (XMLStreamException | RuntimeException malformed) {
            return false;
        }
    }

    private static String namespaceOf(StartElement element) {
        String namespace = element.getName().getNamespaceURI();
        return namespace == null ? "" : namespace;
    }
}

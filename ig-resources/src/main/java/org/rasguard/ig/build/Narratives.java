package org.rasguard.ig.build;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.SearchParameter;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.Type;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * Generated narrative ({@code text.status = generated}) for a resource that has none, made from the
 * resource's own content, so that every artifact satisfies dom-6 ("A resource should have narrative
 * for robust management", FHIR R4 §2.4 Narrative) without hand-written text that could drift from
 * the data. The div is plain XHTML in the FHIR narrative subset: headings, paragraphs and tables,
 * every value escaped.
 *
 * @see <a href="https://hl7.org/fhir/R4/narrative.html">FHIR R4 Narrative</a>
 */
final class Narratives {

    private Narratives() {}

    /** Adds generated narrative when the resource has none; returns whether it did. */
    static boolean addIfMissing(DomainResource resource) {
        if (resource.hasText() && resource.getText().hasDiv()) {
            return false;
        }
        StringBuilder div = new StringBuilder("<div xmlns=\"http://www.w3.org/1999/xhtml\">");
        body(resource, div);
        div.append("</div>");
        Narrative text = new Narrative();
        text.setStatus(Narrative.NarrativeStatus.GENERATED);
        text.setDivAsString(div.toString());
        resource.setText(text);
        return true;
    }

    private static void body(DomainResource resource, StringBuilder div) {
        if (resource instanceof MetadataResource artifact) {
            heading(
                    div,
                    artifact.hasTitle()
                            ? artifact.getTitle()
                            : artifact.hasName()
                                    ? artifact.getName()
                                    : resource.fhirType() + " " + resource.getIdPart());
            List<String[]> rows = new ArrayList<>();
            rows.add(row("URL", artifact.getUrl()));
            rows.add(row("Version", artifact.getVersion()));
            rows.add(row("Status", artifact.hasStatus() ? artifact.getStatus().toCode() : null));
            rows.add(row("Description", artifact.getDescription()));
            table(div, null, rows);
        } else {
            // Bundle entries carry their fullUrl (urn:uuid:…) as id: not worth a heading.
            String id = resource.getIdPart();
            heading(
                    div,
                    id == null || resource.getIdElement().getValue().startsWith("urn:")
                            ? resource.fhirType()
                            : resource.fhirType() + " " + id);
        }
        if (resource instanceof ValueSet valueSet) {
            valueSet(valueSet, div);
        } else if (resource instanceof CodeSystem codeSystem) {
            List<String[]> rows = codeSystem.getConcept().stream()
                    .map(concept -> new String[] {concept.getCode(), concept.getDisplay(), concept.getDefinition()})
                    .toList();
            table(div, new String[] {"Code", "Display", "Definition"}, rows);
        } else if (resource instanceof ConceptMap map) {
            List<String[]> rows = new ArrayList<>();
            for (ConceptMap.ConceptMapGroupComponent group : map.getGroup()) {
                for (ConceptMap.SourceElementComponent element : group.getElement()) {
                    for (ConceptMap.TargetElementComponent target : element.getTarget()) {
                        rows.add(new String[] {
                            group.getSource() + " " + element.getCode() + " " + nullToEmpty(element.getDisplay()),
                            target.hasEquivalence() ? target.getEquivalence().toCode() : "",
                            group.getTarget() + " " + target.getCode() + " " + nullToEmpty(target.getDisplay())
                        });
                    }
                }
            }
            table(div, new String[] {"Source", "Relationship", "Target"}, rows);
        } else if (resource instanceof StructureDefinition profile) {
            table(
                    div,
                    null,
                    List.of(
                            row("Type", profile.getType()),
                            row("Base", profile.getBaseDefinition()),
                            row(
                                    "Derivation",
                                    profile.hasDerivation()
                                            ? profile.getDerivation().toCode()
                                            : null)));
        } else if (resource instanceof SearchParameter parameter) {
            table(
                    div,
                    null,
                    List.of(
                            row("Code", parameter.getCode()),
                            row(
                                    "Base",
                                    parameter.getBase().stream()
                                            .map(base -> base.getCode())
                                            .collect(Collectors.joining(", "))),
                            row("Expression", parameter.getExpression())));
        } else if (resource instanceof PlanDefinition plan) {
            List<String[]> rows = plan.getAction().stream()
                    .map(action -> new String[] {action.getTitle(), action.getDescription()})
                    .toList();
            table(div, new String[] {"Action", "Description"}, rows);
        } else if (resource instanceof Patient patient) {
            table(
                    div,
                    null,
                    List.of(
                            row("Identifier", identifiers(patient.getIdentifier())),
                            row(
                                    "Gender",
                                    patient.hasGender() ? patient.getGender().toCode() : null),
                            row("Birth date", patient.getBirthDateElement().getValueAsString())));
        } else if (resource instanceof Condition condition) {
            table(
                    div,
                    null,
                    List.of(
                            row("Code", concept(condition.getCode())),
                            row("Clinical status", concept(condition.getClinicalStatus())),
                            row("Verification", concept(condition.getVerificationStatus())),
                            row("Identifier", identifiers(condition.getIdentifier()))));
        } else if (resource instanceof Observation observation) {
            List<String[]> rows = new ArrayList<>();
            rows.add(row("Code", concept(observation.getCode())));
            rows.add(row(
                    "Status", observation.hasStatus() ? observation.getStatus().toCode() : null));
            rows.add(row("Value", value(observation.getValue())));
            for (Observation.ObservationComponentComponent component : observation.getComponent()) {
                rows.add(row(concept(component.getCode()), value(component.getValue())));
            }
            rows.add(row("Method", concept(observation.getMethod())));
            rows.add(row("Identifier", identifiers(observation.getIdentifier())));
            table(div, null, rows);
        } else if (resource instanceof DiagnosticReport report) {
            table(
                    div,
                    null,
                    List.of(
                            row("Code", concept(report.getCode())),
                            row(
                                    "Status",
                                    report.hasStatus() ? report.getStatus().toCode() : null),
                            row("Conclusion", report.getConclusion()),
                            row(
                                    "Results",
                                    report.hasResult()
                                            ? String.valueOf(report.getResult().size())
                                            : null),
                            row("Identifier", identifiers(report.getIdentifier()))));
        }
    }

    private static void valueSet(ValueSet valueSet, StringBuilder div) {
        for (ValueSet.ConceptSetComponent include : valueSet.getCompose().getInclude()) {
            String from = include.hasSystem()
                    ? "Codes from " + include.getSystem()
                    : "Codes in "
                            + include.getValueSet().stream()
                                    .map(vs -> vs.getValue())
                                    .collect(Collectors.joining(", "));
            paragraph(div, from);
            if (include.hasConcept()) {
                table(
                        div,
                        new String[] {"Code", "Display"},
                        include.getConcept().stream()
                                .map(concept -> new String[] {concept.getCode(), concept.getDisplay()})
                                .toList());
            }
            if (include.hasFilter()) {
                table(
                        div,
                        new String[] {"Property", "Operator", "Value"},
                        include.getFilter().stream()
                                .map(filter -> new String[] {
                                    filter.getProperty(),
                                    filter.hasOp() ? filter.getOp().toCode() : "",
                                    filter.getValue()
                                })
                                .toList());
            }
        }
        for (ValueSet.ConceptSetComponent exclude : valueSet.getCompose().getExclude()) {
            paragraph(
                    div,
                    "Excluded from " + nullToEmpty(exclude.getSystem()) + ": "
                            + exclude.getConcept().stream()
                                    .map(ValueSet.ConceptReferenceComponent::getCode)
                                    .collect(Collectors.joining(", ")));
        }
    }

    private static String value(Type value) {
        if (value == null) {
            return null;
        }
        if (value instanceof CodeableConcept concept) {
            return concept(concept);
        }
        if (value instanceof Quantity quantity) {
            return quantity.getValue() == null
                    ? null
                    : quantity.getValue().toPlainString()
                            + (quantity.hasUnit()
                                    ? " " + quantity.getUnit()
                                    : quantity.hasCode() ? " " + quantity.getCode() : "");
        }
        return value.isPrimitive() ? value.primitiveValue() : value.fhirType();
    }

    private static String concept(CodeableConcept concept) {
        if (concept == null || concept.isEmpty()) {
            return null;
        }
        if (concept.hasText()) {
            return concept.getText();
        }
        return concept.getCoding().stream().map(Narratives::coding).collect(Collectors.joining("; "));
    }

    private static String coding(Coding coding) {
        return coding.hasDisplay()
                ? coding.getDisplay() + " (" + coding.getCode() + ")"
                : coding.getSystem() + " " + coding.getCode();
    }

    private static String identifiers(List<Identifier> identifiers) {
        return identifiers.isEmpty()
                ? null
                : identifiers.stream()
                        .map(id -> id.getSystem() + " " + id.getValue())
                        .collect(Collectors.joining("; "));
    }

    private static String[] row(String label, String value) {
        return new String[] {label, value};
    }

    private static void heading(StringBuilder div, String text) {
        div.append("<h3>").append(escape(text)).append("</h3>");
    }

    private static void paragraph(StringBuilder div, String text) {
        div.append("<p>").append(escape(text)).append("</p>");
    }

    /**
     * A table; without a header it is label/value rows, and a row without a value is left out.
     * Nothing when no row is left.
     */
    private static void table(StringBuilder div, String[] header, List<String[]> rows) {
        List<String[]> filled = header != null
                ? rows
                : rows.stream()
                        .filter(cells -> cells[1] != null && !cells[1].isBlank())
                        .toList();
        if (filled.isEmpty()) {
            return;
        }
        div.append("<table>");
        if (header != null) {
            div.append("<tr>");
            for (String cell : header) {
                div.append("<th>").append(escape(cell)).append("</th>");
            }
            div.append("</tr>");
        }
        for (String[] cells : filled) {
            div.append("<tr>");
            for (String cell : cells) {
                div.append("<td>").append(escape(cell)).append("</td>");
            }
            div.append("</tr>");
        }
        div.append("</table>");
    }

    private static String escape(String text) {
        return nullToEmpty(text)
                .replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}

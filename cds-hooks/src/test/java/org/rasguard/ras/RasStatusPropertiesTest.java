package org.rasguard.ras;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.StringType;

/**
 * The properties, over every fixture: mutated evidence always wins; a wild-type case
 * without its NRAS evidence is unknown; the order of the evidence never changes the verdict.
 */
class RasStatusPropertiesTest {

    private static final List<RasCase> CASES = RasCase.all();
    /** Marks of NRAS evidence in a fixture: the symbol, HGNC id, transcript, and the KRAS+NRAS test. */
    private static final List<String> NRAS_MARKS = List.of("NRAS", "7989", "NM_002524", "81420-2");
    /** Arrays whose order carries no meaning. */
    private static final Set<String> UNORDERED =
            Set.of("entry", "result", "contained", "hasMember", "derivedFrom", "component", "resources");

    @Provide
    Arbitrary<RasCase> anyCase() {
        return Arbitraries.of(CASES);
    }

    @Provide
    Arbitrary<RasCase> wildTypeCase() {
        return Arbitraries.of(CASES.stream()
                .filter(c -> c.expected().status().equals("wild-type"))
                .toList());
    }

    /** A final mutation in any of the shapes: a Variant with p. (1- or 3-letter) or c. HGVS, or a KRAS test valued with an identifier. */
    @Provide
    Arbitrary<Observation> mutatedEvidence() {
        Arbitrary<Gene> gene = Arbitraries.of(Gene.values());
        Arbitrary<Integer> codon = Arbitraries.of(12, 13, 59, 61, 117, 146);
        Arbitrary<Integer> shape = Arbitraries.integers().between(0, 3);
        return Combinators.combine(gene, codon, shape).as(RasStatusPropertiesTest::mutation);
    }

    @Property(tries = 300)
    void addingAnyMutatedEvidenceToAnyCaseGivesMutated(
            @ForAll("anyCase") RasCase c, @ForAll("mutatedEvidence") Observation mutation) {
        List<IBaseResource> evidence = new ArrayList<>(c.resources());
        evidence.add(mutation);

        RasAssessment assessment = new RasStatusEngine(RasCase.VOCABULARY, c.policy()).assess(evidence);

        assertThat(assessment.status()).as(c.name()).isEqualTo(RasStatus.MUTATED);
        assertThat(assessment.reasons()).isEmpty();
    }

    @Property
    void removingAllNrasEvidenceFromAWildTypeCaseGivesUnknown(@ForAll("wildTypeCase") RasCase c) {
        RasCase withoutNras =
                new RasCase(c.name(), c.description(), c.expected(), c.policy(), withoutNras(c.resourcesJson()));

        RasAssessment assessment = withoutNras.assess();

        assertThat(assessment.status()).as(c.name()).isEqualTo(RasStatus.UNKNOWN);
        assertThat(assessment.genes().get(Gene.NRAS).status()).isEqualTo(GeneVerdict.Status.NOT_TESTED);
    }

    @Property(tries = 300)
    void theOrderOfTheEvidenceNeverChangesTheVerdict(@ForAll("anyCase") RasCase c, @ForAll Random random) {
        RasCase shuffled =
                new RasCase(c.name(), c.description(), c.expected(), c.policy(), shuffled(c.resourcesJson(), random));

        RasAssessment original = c.assess();
        RasAssessment reordered = shuffled.assess();

        assertThat(reordered.status()).as(c.name()).isEqualTo(original.status());
        assertThat(reordered.reasons()).isEqualTo(original.reasons());
        assertThat(reordered.genes()).isEqualTo(original.genes());
        assertThat(reordered.krasG12c()).isEqualTo(original.krasG12c());
        assertThat(reordered.brafV600e()).isEqualTo(original.brafV600e());
    }

    /** Fixtures with exactly one top-level GR Variant that carries a gene and an HGVS component. */
    @Provide
    /**
     * Cases with one whole Variant that has no other version among the resources: split, one version's
     * members get ids of their own that the other version cannot supersede, and an orphaned Present call
     * without a gene is read, fail safe, as a variant on an unplaced gene.
     */
    Arbitrary<RasCase> caseWithOneWholeVariant() {
        return Arbitraries.of(CASES.stream()
                .filter(c -> wholeVariants(c.resourcesJson()).size() == 1)
                .filter(c -> versionsOf(
                                c.resourcesJson(),
                                wholeVariants(c.resourcesJson()).get(0))
                        == 1)
                .toList());
    }

    private static long versionsOf(JsonNode resources, JsonNode variant) {
        String id = variant.path("id").asText(null);
        long count = 0;
        for (JsonNode resource : resources) {
            if (id != null && id.equals(resource.path("id").asText(null))) {
                count++;
            }
        }
        return Math.max(count, 1);
    }

    @Property(tries = 100)
    void splittingTheVariantIntoV2PanelMembersGivesTheSameStatus(@ForAll("caseWithOneWholeVariant") RasCase c) {
        RasCase split =
                new RasCase(c.name(), c.description(), c.expected(), c.policy(), splitIntoPanel(c.resourcesJson()));

        RasAssessment whole = c.assess();
        RasAssessment members = split.assess();

        assertThat(members.status()).as(c.name()).isEqualTo(whole.status());
        assertThat(members.reasons()).as(c.name()).isEqualTo(whole.reasons());
        assertThat(members.krasG12c()).as(c.name()).isEqualTo(whole.krasG12c());
    }

    private static List<ObjectNode> wholeVariants(JsonNode resources) {
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode resource : resources) {
            if ("Observation".equals(resource.path("resourceType").asText())
                    && resource.toString().contains("\"69548-6\"")
                    && hasComponent(resource, "48018-6")
                    && (hasComponent(resource, "48004-6")
                            || hasComponent(resource, "48005-3")
                            || hasComponent(resource, "81290-9"))) {
                out.add((ObjectNode) resource);
            }
        }
        return out;
    }

    private static boolean hasComponent(JsonNode observation, String code) {
        for (JsonNode component : observation.path("component")) {
            for (JsonNode coding : component.path("code").path("coding")) {
                if (code.equals(coding.path("code").asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The case with its Variant split as an HL7 v2 converter does: a 81247-9 panel (same id, status,
     * dates, notes) whose members are one Observation per component and the call (value,
     * interpretation, method, specimen).
     */
    private static JsonNode splitIntoPanel(JsonNode resources) {
        ArrayNode copy = (ArrayNode) resources.deepCopy();
        ObjectNode variant = wholeVariants(copy).get(0);
        String id = variant.path("id").asText("whole-variant");
        ArrayNode members = copy.arrayNode();
        ObjectNode panel = variant.deepCopy();
        panel.put("id", id);
        for (String moved : List.of(
                "component",
                "valueCodeableConcept",
                "valueString",
                "interpretation",
                "dataAbsentReason",
                "method",
                "specimen")) {
            panel.remove(moved);
        }
        ObjectNode code = panel.putObject("code");
        code.putArray("coding").addObject().put("system", "http://loinc.org").put("code", "81247-9");
        ArrayNode hasMember = panel.putArray("hasMember");
        int n = 0;
        List<JsonNode> parts = new ArrayList<>();
        variant.path("component").forEach(parts::add);
        ObjectNode call = variant.deepCopy();
        call.remove("component");
        call.remove("note");
        call.remove("derivedFrom");
        parts.add(call);
        for (JsonNode part : parts) {
            ObjectNode member = part == call ? call : member(variant, part);
            member.put("id", id + "-m" + (++n));
            members.add(member);
            hasMember.addObject().put("reference", "Observation/" + id + "-m" + n);
        }
        for (int i = 0; i < copy.size(); i++) {
            if (copy.get(i) == variant) {
                copy.set(i, panel);
            }
        }
        copy.addAll(members);
        return copy;
    }

    private static ObjectNode member(ObjectNode variant, JsonNode component) {
        ObjectNode member = ((ObjectNode) component).deepCopy();
        member.put("resourceType", "Observation");
        for (String field : List.of("status", "subject", "effectiveDateTime", "issued", "category")) {
            if (variant.has(field)) {
                member.set(field, variant.get(field).deepCopy());
            }
        }
        return member;
    }

    private static Observation mutation(Gene gene, int codon, int shape) {
        String residue = switch (codon) {
            case 12, 13 -> "G";
            case 59, 146 -> "A";
            case 61 -> "Q";
            default -> "K";
        };
        Observation observation = new Observation();
        observation.setId("added-mutation");
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.setEffective(new DateTimeType("2019-01-01"));
        if (shape == 3 && gene == Gene.KRAS) {
            observation.setCode(new CodeableConcept(new Coding("http://loinc.org", "21702-6", null)));
            observation.setValue(new StringType(residue + codon + "V"));
            return observation;
        }
        observation.setCode(new CodeableConcept(new Coding("http://loinc.org", "69548-6", null)));
        observation.setValue(new CodeableConcept(new Coding("http://loinc.org", "LA9633-4", "Present")));
        observation
                .addComponent()
                .setCode(new CodeableConcept(new Coding("http://loinc.org", "48018-6", null)))
                .setValue(new CodeableConcept(new Coding("http://www.genenames.org", gene.hgncId(), gene.symbol())));
        String hgvs = switch (shape) {
            case 0 -> "p." + residue + codon + "V";
            case 1 -> "p.(" + threeLetter(residue) + codon + "Val)";
            default -> "c." + (3 * codon - 1) + "A>T";
        };
        String component = hgvs.startsWith("c.") ? "48004-6" : "48005-3";
        observation
                .addComponent()
                .setCode(new CodeableConcept(new Coding("http://loinc.org", component, null)))
                .setValue(new CodeableConcept(new Coding("http://varnomen.hgvs.org", hgvs, null)));
        return observation;
    }

    private static String threeLetter(String residue) {
        return switch (residue) {
            case "G" -> "Gly";
            case "A" -> "Ala";
            case "Q" -> "Gln";
            default -> "Lys";
        };
    }

    /**
     * A deep copy without any Observation or DiagnosticReport that mentions NRAS (as a resource, Bundle entry
     * or contained resource): a report's words about NRAS are NRAS evidence too ("KRAS and NRAS exons 2, 3
     * and 4: no mutation detected", its results gone, leaves NRAS indeterminate, not untested).
     */
    private static JsonNode withoutNras(JsonNode node) {
        JsonNode copy = node.deepCopy();
        prune(copy);
        return copy;
    }

    private static void prune(JsonNode node) {
        if (node instanceof ArrayNode array) {
            for (int i = array.size() - 1; i >= 0; i--) {
                JsonNode item = array.get(i);
                JsonNode resource = item.has("resource") ? item.get("resource") : item;
                String type = resource.path("resourceType").asText();
                if ((type.equals("Observation") || type.equals("DiagnosticReport")) && mentionsNras(resource)) {
                    array.remove(i);
                } else {
                    prune(item);
                }
            }
        } else if (node instanceof ObjectNode object) {
            object.elements().forEachRemaining(RasStatusPropertiesTest::prune);
        }
    }

    private static boolean mentionsNras(JsonNode resource) {
        String text = resource.toString();
        return NRAS_MARKS.stream().anyMatch(text::contains);
    }

    /** A deep copy with every order-free array shuffled. */
    private static JsonNode shuffled(JsonNode node, Random random) {
        JsonNode copy = node.deepCopy();
        shuffle(copy, "resources", random);
        return copy;
    }

    private static void shuffle(JsonNode node, String name, Random random) {
        if (node instanceof ArrayNode array) {
            List<JsonNode> items = new ArrayList<>();
            array.forEach(items::add);
            if (UNORDERED.contains(name)) {
                Collections.shuffle(items, random);
            }
            array.removeAll();
            items.forEach(item -> {
                shuffle(item, "", random);
                array.add(item);
            });
        } else if (node instanceof ObjectNode object) {
            List<String> fields = new ArrayList<>();
            object.fieldNames().forEachRemaining(fields::add);
            fields.forEach(field -> shuffle(object.get(field), field, random));
        }
    }
}

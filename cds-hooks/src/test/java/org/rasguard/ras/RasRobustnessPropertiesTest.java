package org.rasguard.ras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Issue 13 acceptance 2(a) and 2(b): scope text the reader cannot account for, appended near any
 * negative of a wild-type case, never leaves it wild-type; and no string in any text field of any
 * case, nor given to the text readers directly, ever throws.
 */
class RasRobustnessPropertiesTest {

    private static final List<RasCase> CASES = RasCase.all();
    private static final List<String> TEXT_FIELDS =
            List.of("text", "display", "conclusion", "valueString", "code", "value");

    @Provide
    Arbitrary<RasCase> wildTypeCase() {
        return Arbitraries.of(CASES.stream()
                .filter(c -> c.expected().status().equals("wild-type"))
                .toList());
    }

    @Provide
    Arbitrary<RasCase> anyCase() {
        return Arbitraries.of(CASES);
    }

    /** Exon, codon or region words the reader cannot turn into codons, or that limit a hotspot exon or codon. */
    @Provide
    Arbitrary<String> unreadableScope() {
        Arbitrary<String> letters =
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> digits =
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(40);
        Arbitrary<String> word = Arbitraries.of("exon", "Exons", "CODON", "codons", "region", "Regions", "amplicon");
        Arbitrary<String> vague = Combinators.combine(word, letters, digits).as((w, l, d) -> w + " " + l + d);
        Arbitrary<String> limiting = Combinators.combine(
                        Arbitraries.of(
                                "exon 2", "exon 3", "exon 4", "codon 146", "codon 61", "codons 59/61", "codon 117"),
                        Arbitraries.of(
                                "not analysed",
                                "was not covered",
                                "failed QC",
                                "not tested",
                                "excluded (low coverage)"))
                .as((part, limit) -> part + " " + limit);
        Arbitrary<String> separator = Arbitraries.of(" ", "; ", ". ", " | ", "\n");
        return Combinators.combine(separator, Arbitraries.oneOf(vague, limiting))
                .as(String::concat);
    }

    /** Random unicode, huge digit runs, and HGVS-like garbage. */
    @Provide
    Arbitrary<String> anyText() {
        Arbitrary<String> unicode = Arbitraries.strings().all().ofMaxLength(60);
        Arbitrary<String> digits =
                Arbitraries.strings().numeric().ofMinLength(10).ofMaxLength(60);
        Arbitrary<String> hgvsLike = Combinators.combine(
                        Arbitraries.of("c.", "p.", "p.(", "NM_004985.5:c.", "G", "Gly", "codon ", "exons ", "KRAS "),
                        digits,
                        Arbitraries.of("A>T", "D", "Asp)", "_", "-", "+1", "delins", "=", "-4", ""),
                        digits)
                .as((a, b, c, d) -> a + b + c + d);
        Arbitrary<String> accession =
                digits.map(d -> "Accession 2026-MOL-" + d + " lot " + d + " no mutations detected");
        return Arbitraries.oneOf(unicode, digits, hgvsLike, accession);
    }

    @Property(tries = 200)
    void unreadableScopeNearEveryNegativeNeverYieldsWildType(
            @ForAll("wildTypeCase") RasCase c, @ForAll("unreadableScope") String scope, @ForAll Random random) {
        JsonNode resources = c.resourcesJson().deepCopy();
        appendScope(resources, scope, random);

        RasAssessment assessment = new RasCase(c.name(), c.description(), c.expected(), c.policy(), resources).assess();

        assertThat(assessment.status()).as(c.name() + " with" + scope).isNotEqualTo(RasStatus.WILD_TYPE);
    }

    @Property(tries = 200)
    void anyStringInAnyTextFieldNeverThrows(
            @ForAll("anyCase") RasCase c, @ForAll("anyText") String text, @ForAll Random random) {
        JsonNode resources = c.resourcesJson().deepCopy();
        List<ObjectNode> holders = new ArrayList<>();
        collectTextHolders(resources, holders);
        for (ObjectNode holder : holders) {
            if (random.nextInt(3) == 0) {
                List<String> fields = new ArrayList<>();
                holder.fieldNames().forEachRemaining(f -> {
                    if (TEXT_FIELDS.contains(f) && holder.get(f).isTextual()) {
                        fields.add(f);
                    }
                });
                String field = fields.get(random.nextInt(fields.size()));
                holder.put(
                        field, random.nextBoolean() ? text : holder.get(field).asText() + " " + text);
            }
        }
        RasCase changed = new RasCase(c.name(), c.description(), c.expected(), c.policy(), resources);

        assertThatCode(changed::assess).as(c.name()).doesNotThrowAnyException();
    }

    @Property(tries = 200)
    void theTextReadersNeverThrow(@ForAll("anyText") String text) {
        assertThatCode(() -> {
                    TextSignals.coverage(text);
                    TextSignals.meanings(text);
                    TextSignals.mentionsFullGene(text);
                    Hgvs.findAll(text);
                })
                .doesNotThrowAnyException();
    }

    /** Appends the scope to the method text, a note, the code text (Observations) or the conclusion (reports) of every result. */
    private static void appendScope(JsonNode node, String scope, Random random) {
        if (node instanceof ArrayNode array) {
            array.forEach(item -> appendScope(item, scope, random));
        } else if (node instanceof ObjectNode object) {
            String type = object.path("resourceType").asText();
            if (type.equals("Observation")) {
                switch (random.nextInt(3)) {
                    case 0 ->
                        append(
                                object.has("method") ? (ObjectNode) object.get("method") : object.putObject("method"),
                                "text",
                                scope);
                    case 1 ->
                        (object.has("note") ? (ArrayNode) object.get("note") : object.putArray("note"))
                                .addObject()
                                .put("text", scope.strip());
                    default ->
                        append(
                                object.has("code") ? (ObjectNode) object.get("code") : object.putObject("code"),
                                "text",
                                scope);
                }
            } else if (type.equals("DiagnosticReport")) {
                append(object, "conclusion", scope);
            }
            object.elements().forEachRemaining(child -> appendScope(child, scope, random));
        }
    }

    private static void append(ObjectNode holder, String field, String scope) {
        holder.put(field, holder.path(field).asText("") + scope);
    }

    private static void collectTextHolders(JsonNode node, List<ObjectNode> out) {
        if (node instanceof ArrayNode array) {
            array.forEach(item -> collectTextHolders(item, out));
        } else if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            if (names.stream()
                    .anyMatch(n -> TEXT_FIELDS.contains(n) && object.get(n).isTextual())) {
                out.add(object);
            }
            object.elements().forEachRemaining(child -> collectTextHolders(child, out));
        }
    }

    @SuppressWarnings("unused")
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
}

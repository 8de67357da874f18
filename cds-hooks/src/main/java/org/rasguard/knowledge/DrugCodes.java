package org.rasguard.knowledge;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * The codes and names of one drug, read from its ValueSet: RxNorm and ATC codes match as given, NDC
 * codes as the same product ({@link Ndc}), and the designations of the ValueSet's concepts are the
 * names looked for, as whole words and ignoring case, in a coding's display and a concept's text.
 *
 * <p>The one reader of drug codes: the drug matcher and the RAS engine (a therapeutic implication
 * about cetuximab or panitumumab) both match through it, so an NDC matches the same everywhere.
 */
public final class DrugCodes {

    static final String NDC = "http://hl7.org/fhir/sid/ndc";

    private final Set<Code> codes;
    private final List<Ndc> ndcs;
    private final List<String> nameWords;
    private final List<Pattern> names;

    private DrugCodes(Set<Code> codes, List<Ndc> ndcs, List<String> nameWords) {
        this.codes = codes;
        this.ndcs = ndcs;
        this.nameWords = List.copyOf(nameWords);
        this.names = nameWords.stream().map(DrugCodes::wholeWord).toList();
    }

    /** Reads a drug ValueSet (and the ValueSets it includes); fails when it is unknown. */
    public static DrugCodes of(KnowledgeBase knowledge, String valueSetUrl) {
        Set<Code> codes = knowledge.codes(valueSetUrl);
        List<Ndc> ndcs = codes.stream()
                .filter(code -> code.system().equals(NDC))
                .flatMap(code -> Ndc.parse(code.code()).stream())
                .toList();
        List<String> names = new ArrayList<>();
        collectNames(knowledge, valueSetUrl, names);
        return new DrugCodes(codes, ndcs, names.stream().distinct().toList());
    }

    private static void collectNames(KnowledgeBase knowledge, String valueSetUrl, List<String> names) {
        ValueSet valueSet = knowledge.valueSet(valueSetUrl).orElseThrow();
        for (ValueSet.ConceptSetComponent include : valueSet.getCompose().getInclude()) {
            include.getValueSet().forEach(nested -> collectNames(knowledge, nested.getValue(), names));
            for (ValueSet.ConceptReferenceComponent concept : include.getConcept()) {
                for (ValueSet.ConceptReferenceDesignationComponent designation : concept.getDesignation()) {
                    names.add(designation.getValue());
                }
            }
        }
    }

    private static Pattern wholeWord(String name) {
        return Pattern.compile(
                "(?<![\\p{L}\\p{N}])" + Pattern.quote(name) + "(?![\\p{L}\\p{N}])",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /** The names (ingredient and brand: the designations of the ValueSet's concepts), in order. */
    public List<String> names() {
        return nameWords;
    }

    boolean matchesCode(CodeableConcept concept) {
        return concept.getCoding().stream().anyMatch(this::matchesCode);
    }

    /** By code: RxNorm and ATC as given, an NDC as the same product ({@link Ndc}) in any hyphenation. */
    public boolean matchesCode(Coding coding) {
        if (!coding.hasSystem() || !coding.hasCode()) {
            return false;
        }
        if (codes.stream().anyMatch(code -> code.matches(coding.getSystem(), coding.getCode()))) {
            return true;
        }
        return NDC.equals(coding.getSystem()) && matchesNdc(coding.getCode());
    }

    private boolean matchesNdc(String code) {
        Optional<Ndc> ndc = Ndc.parse(code);
        if (ndc.isPresent()) {
            return ndcs.stream().anyMatch(ndc.get()::sameProductAs);
        }
        String digits = code.trim();
        return codes.stream()
                .filter(known -> known.system().equals(NDC))
                .anyMatch(known -> known.code().replace("-", "").equals(digits));
    }

    boolean matchesName(CodeableConcept concept) {
        List<String> texts = new ArrayList<>();
        concept.getCoding().stream().filter(Coding::hasDisplay).forEach(coding -> texts.add(coding.getDisplay()));
        if (concept.hasText()) {
            texts.add(concept.getText());
        }
        return texts.stream()
                .anyMatch(text ->
                        names.stream().anyMatch(name -> name.matcher(text).find()));
    }
}

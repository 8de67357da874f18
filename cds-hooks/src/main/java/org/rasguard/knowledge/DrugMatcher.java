package org.rasguard.knowledge;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Function;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.ConceptMap;

/**
 * Recognises the drugs of the anti-EGFR RAS check in a medication's CodeableConcept: the anti-EGFR
 * antibodies, their approved KRAS G12C partners and the alternatives a card may suggest.
 *
 * <p>Every code and name comes from the ValueSets of the knowledge package, and the approved pairs
 * from its ConceptMap {@value #G12C_COMBINATIONS}, so a change to the package changes the matcher
 * with no Java change. A concept matches a drug by code first (RxNorm, ATC current and pre-2022, NDC
 * as the same product in any hyphenation) and only then by name, because EHRs often send product
 * codes (SCD/SBD) that no public source confirmed for us but whose display names the ingredient or
 * brand. Immutable and thread-safe.
 *
 * @see <a href="https://hl7.org/fhir/R4/valueset.html">FHIR R4 ValueSet</a>
 */
public final class DrugMatcher {

    public static final String G12C_COMBINATIONS = KnowledgeBase.CANONICAL_BASE + "/ConceptMap/g12c-combinations";
    public static final String BRAF_COMBINATIONS = KnowledgeBase.CANONICAL_BASE + "/ConceptMap/braf-v600e-combinations";
    public static final String CRC_ALTERNATIVES = KnowledgeBase.CANONICAL_BASE + "/ValueSet/crc-alternatives";
    /** Cetuximab and panitumumab together (their two ValueSets), with brand names as designations. */
    public static final String ANTI_EGFR_ANTIBODIES = KnowledgeBase.CANONICAL_BASE + "/ValueSet/anti-egfr-antibodies";

    private final Map<AntiEgfrDrug, DrugCodes> antibodies;
    private final Map<G12cInhibitor, DrugCodes> inhibitors;
    private final Map<G12cInhibitor, AntiEgfrDrug> approvedPairs;
    private final Map<BrafInhibitor, DrugCodes> brafInhibitors;
    private final Map<BrafInhibitor, AntiEgfrDrug> approvedBrafPairs;
    private final DrugCodes alternatives;
    private final DrugCodes antiEgfrAntibodies;

    private DrugMatcher(
            Map<AntiEgfrDrug, DrugCodes> antibodies,
            Map<G12cInhibitor, DrugCodes> inhibitors,
            Map<G12cInhibitor, AntiEgfrDrug> approvedPairs,
            Map<BrafInhibitor, DrugCodes> brafInhibitors,
            Map<BrafInhibitor, AntiEgfrDrug> approvedBrafPairs,
            DrugCodes alternatives,
            DrugCodes antiEgfrAntibodies) {
        this.antibodies = antibodies;
        this.inhibitors = inhibitors;
        this.approvedPairs = approvedPairs;
        this.brafInhibitors = brafInhibitors;
        this.approvedBrafPairs = approvedBrafPairs;
        this.alternatives = alternatives;
        this.antiEgfrAntibodies = antiEgfrAntibodies;
    }

    /** Reads the drug ValueSets and the G12C and BRAF V600E ConceptMaps; fails fast if one is missing. */
    public static DrugMatcher from(KnowledgeBase knowledge) {
        Map<AntiEgfrDrug, DrugCodes> antibodies =
                byDrug(AntiEgfrDrug.class, drug -> DrugCodes.of(knowledge, drug.valueSetUrl()));
        Map<G12cInhibitor, DrugCodes> inhibitors =
                byDrug(G12cInhibitor.class, drug -> DrugCodes.of(knowledge, drug.valueSetUrl()));
        Map<BrafInhibitor, DrugCodes> brafInhibitors =
                byDrug(BrafInhibitor.class, drug -> DrugCodes.of(knowledge, drug.valueSetUrl()));
        return new DrugMatcher(
                antibodies,
                inhibitors,
                approvedPairs(knowledge, G12C_COMBINATIONS, G12cInhibitor.class, G12cInhibitor::valueSetUrl),
                brafInhibitors,
                approvedPairs(knowledge, BRAF_COMBINATIONS, BrafInhibitor.class, BrafInhibitor::valueSetUrl),
                DrugCodes.of(knowledge, CRC_ALTERNATIVES),
                DrugCodes.of(knowledge, ANTI_EGFR_ANTIBODIES));
    }

    private static <D extends Enum<D>> Map<D, DrugCodes> byDrug(Class<D> drugs, Function<D, DrugCodes> codes) {
        Map<D, DrugCodes> out = new EnumMap<>(drugs);
        Arrays.stream(drugs.getEnumConstants()).forEach(drug -> out.put(drug, codes.apply(drug)));
        return Collections.unmodifiableMap(out);
    }

    /** Which inhibitor pairs with which antibody, from the ConceptMap's source and target codes. */
    private static <I extends Enum<I>> Map<I, AntiEgfrDrug> approvedPairs(
            KnowledgeBase knowledge, String conceptMapUrl, Class<I> inhibitors, Function<I, String> valueSetUrl) {
        ConceptMap combinations = knowledge.artifacts().stream()
                .filter(ConceptMap.class::isInstance)
                .map(ConceptMap.class::cast)
                .filter(map -> conceptMapUrl.equals(map.getUrl()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown ConceptMap " + conceptMapUrl));
        Map<I, AntiEgfrDrug> pairs = new EnumMap<>(inhibitors);
        for (ConceptMap.ConceptMapGroupComponent group : combinations.getGroup()) {
            for (ConceptMap.SourceElementComponent element : group.getElement()) {
                I inhibitor = owner(
                        knowledge,
                        conceptMapUrl,
                        inhibitors,
                        valueSetUrl,
                        new Code(group.getSource(), element.getCode(), element.getDisplay()));
                for (ConceptMap.TargetElementComponent target : element.getTarget()) {
                    pairs.put(
                            inhibitor,
                            owner(
                                    knowledge,
                                    conceptMapUrl,
                                    AntiEgfrDrug.class,
                                    AntiEgfrDrug::valueSetUrl,
                                    new Code(group.getTarget(), target.getCode(), target.getDisplay())));
                }
            }
        }
        return Collections.unmodifiableMap(pairs);
    }

    private static <D extends Enum<D>> D owner(
            KnowledgeBase knowledge, String conceptMapUrl, Class<D> drugs, Function<D, String> valueSetUrl, Code code) {
        return Arrays.stream(drugs.getEnumConstants())
                .filter(drug -> knowledge.codes(valueSetUrl.apply(drug)).contains(code))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(conceptMapUrl + " maps " + code.system() + "|"
                        + code.code() + ", which is in no " + drugs.getSimpleName() + " ValueSet"));
    }

    /** The anti-EGFR antibody the medication is, if it is cetuximab or panitumumab. */
    public Optional<AntiEgfrDrug> antiEgfrDrug(CodeableConcept medication) {
        return match(antibodies, medication);
    }

    /** The codes and names of every anti-EGFR antibody, for the RAS engine's therapeutic implications. */
    public DrugCodes antiEgfrAntibodies() {
        return antiEgfrAntibodies;
    }

    /** The KRAS G12C inhibitor the medication is, if it is sotorasib or adagrasib. */
    public Optional<G12cInhibitor> g12cInhibitor(CodeableConcept medication) {
        return match(inhibitors, medication);
    }

    /** The KRAS G12C inhibitor approved together with the antibody (sotorasib with panitumumab, adagrasib with cetuximab). */
    public Optional<G12cInhibitor> approvedPartner(AntiEgfrDrug antibody) {
        return partnerOf(approvedPairs, antibody);
    }

    /** The BRAF inhibitor the medication is, if it is encorafenib. */
    public Optional<BrafInhibitor> brafInhibitor(CodeableConcept medication) {
        return match(brafInhibitors, medication);
    }

    /** The BRAF inhibitor approved together with the antibody for BRAF V600E (encorafenib with cetuximab). */
    public Optional<BrafInhibitor> approvedBrafPartner(AntiEgfrDrug antibody) {
        return partnerOf(approvedBrafPairs, antibody);
    }

    private static <I> Optional<I> partnerOf(Map<I, AntiEgfrDrug> pairs, AntiEgfrDrug antibody) {
        return pairs.entrySet().stream()
                .filter(pair -> pair.getValue() == antibody)
                .map(Map.Entry::getKey)
                .findFirst();
    }

    /** Whether the inhibitor is approved with the antibody for KRAS G12C-mutated colorectal cancer. */
    public boolean isApprovedPair(G12cInhibitor inhibitor, AntiEgfrDrug antibody) {
        return approvedPairs.get(inhibitor) == antibody;
    }

    /** Whether the medication is coded as one of the alternatives a card may suggest (bevacizumab, chemotherapy ingredients). */
    public boolean isCrcAlternative(CodeableConcept medication) {
        return alternatives.matchesCode(medication);
    }

    private static <D extends Enum<D>> Optional<D> match(Map<D, DrugCodes> drugs, CodeableConcept medication) {
        Optional<D> byCode = first(drugs, medication, DrugCodes::matchesCode);
        return byCode.isPresent() ? byCode : first(drugs, medication, DrugCodes::matchesName);
    }

    private static <D extends Enum<D>> Optional<D> first(
            Map<D, DrugCodes> drugs, CodeableConcept medication, BiPredicate<DrugCodes, CodeableConcept> test) {
        return drugs.entrySet().stream()
                .filter(drug -> test.test(drug.getValue(), medication))
                .map(Map.Entry::getKey)
                .findFirst();
    }
}

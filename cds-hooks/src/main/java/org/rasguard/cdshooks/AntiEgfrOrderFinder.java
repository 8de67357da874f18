package org.rasguard.cdshooks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Resource;
import org.rasguard.decision.AntiEgfrOrder;
import org.rasguard.knowledge.AntiEgfrDrug;
import org.rasguard.knowledge.DrugMatcher;

/**
 * The orders of a call to decide on: every draft MedicationRequest on order-sign, the selected ones on
 * order-select, whose drug is cetuximab or panitumumab. A drug is found without a network call where
 * it can be ({@link MedicationResolver}: the order, contained, draftOrders, the medications prefetch);
 * a Medication found nowhere else is read from the client's FHIR server, all in parallel under the
 * call's deadline ({@link EhrCalls}). An order whose drug stays unknown and whose display names no
 * drug cannot be decided ({@link CdsError#medicationUnresolved()}, 412).
 */
final class AntiEgfrOrderFinder {

    /**
     * @param inScope how many draft orders were in scope (all on order-sign, the selections on order-select)
     * @param antiEgfr the anti-EGFR orders among them, in order; empty when one is unresolved
     * @param unresolved an order's drug could be found nowhere and its display names none: it cannot be decided
     */
    record Found(int inScope, List<AntiEgfrOrder> antiEgfr, boolean unresolved) {}

    private final DrugMatcher drugs;

    AntiEgfrOrderFinder(DrugMatcher drugs) {
        this.drugs = drugs;
    }

    Found find(HookRequest request, EhrCalls ehr) {
        Set<String> selections = Set.copyOf(request.selections());
        List<Bundle.BundleEntryComponent> scoped = request.draftOrders().getEntry().stream()
                .filter(entry -> entry.getResource() instanceof MedicationRequest)
                .filter(entry ->
                        request.hook() == Hook.ORDER_SIGN || selections.contains(typeAndId(entry.getResource())))
                .toList();
        List<Resource> prefetched =
                request.prefetch().get(PrefetchKey.MEDICATIONS) instanceof PrefetchValue.Resources resources
                        ? resources.resources()
                        : List.of();
        Map<Bundle.BundleEntryComponent, CompletableFuture<EhrFetch>> reads = new LinkedHashMap<>();
        Map<Bundle.BundleEntryComponent, CodeableConcept> concepts = new LinkedHashMap<>();
        for (Bundle.BundleEntryComponent entry : scoped) {
            MedicationRequest order = (MedicationRequest) entry.getResource();
            Optional<CodeableConcept> local = MedicationResolver.local(order, request.draftOrders(), prefetched);
            if (local.isPresent()) {
                concepts.put(entry, local.get());
            } else {
                Optional<String> path = MedicationResolver.readPath(order, request.fhirServer());
                if (ehr.available() && path.isPresent()) {
                    reads.put(entry, ehr.get(path.get()));
                } else {
                    concepts.put(entry, null);
                }
            }
        }
        reads.forEach((entry, read) -> concepts.put(entry, readMedication(read, ehr)));

        List<AntiEgfrOrder> orders = new ArrayList<>();
        for (Bundle.BundleEntryComponent entry : scoped) {
            MedicationRequest order = (MedicationRequest) entry.getResource();
            CodeableConcept concept = concepts.get(entry);
            Optional<AntiEgfrDrug> drug;
            if (concept != null) {
                drug = drugs.antiEgfrDrug(concept);
            } else {
                drug = drugs.antiEgfrDrug(MedicationResolver.displayOnly(order));
                if (drug.isEmpty()) {
                    return new Found(scoped.size(), List.of(), true);
                }
            }
            drug.ifPresent(d -> orders.add(new AntiEgfrOrder(d, orderReference(entry))));
        }
        return new Found(scoped.size(), orders, false);
    }

    private static CodeableConcept readMedication(CompletableFuture<EhrFetch> read, EhrCalls ehr) {
        try {
            EhrFetch fetched = read.get(ehr.remainingNanos(), TimeUnit.NANOSECONDS);
            if (fetched instanceof EhrFetch.Found found) {
                List<Resource> resources = found.resources();
                return resources.stream()
                        .filter(Medication.class::isInstance)
                        .map(Medication.class::cast)
                        .map(medication -> MedicationResolver.drugOf(medication, List.of(), new Bundle(), resources))
                        .findFirst()
                        .orElse(null);
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            read.cancel(true);
            return null;
        }
    }

    private static String orderReference(Bundle.BundleEntryComponent entry) {
        Resource resource = entry.getResource();
        if (resource.getIdElement().hasIdPart()) {
            return typeAndId(resource);
        }
        return entry.hasFullUrl() ? entry.getFullUrl() : null;
    }

    private static String typeAndId(Resource resource) {
        return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
    }
}

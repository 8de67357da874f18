package org.rasguard.cdshooks;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.FhirTerser;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Specimen;
import org.rasguard.cards.CardFactory;
import org.rasguard.patients.EvidenceConfinement;
import org.rasguard.patients.PatientReference;
import org.rasguard.patients.PersonIdentity;

/**
 * Collects the patient's record for one call. Per prefetch key: use what the client sent; fetch
 * from the client's FHIR server what it did not send, what it failed to get (OperationOutcome) and
 * the further pages of a paginated Bundle, all in parallel under the call's one deadline
 * ({@link EhrCalls}, shared with the Medication reads of the draft orders); otherwise the key is
 * missing. The prefetch was parsed once, by {@link HookRequestParser}. Always also reads our own genomics store, for the records {@link StorePatientMatcher}
 * finds of this person (by identifier; by id only in one id space).
 *
 * <p>Resources whose subject is another patient are dropped, whatever the client sent.
 */
final class RecordGatherer {

    private final FhirContext fhir;
    private final EvidenceStore store;
    private final PersonIdentity identity;
    private final StorePatientMatcher matcher;
    private final int maxStoreResources;

    RecordGatherer(FhirContext fhir, EvidenceStore store, PersonIdentity identity, int maxStoreResources) {
        this.fhir = fhir;
        this.store = store;
        this.identity = identity;
        this.matcher = new StorePatientMatcher(store, identity);
        this.maxStoreResources = maxStoreResources;
    }

    /** A key's resources, or why it could not be had. */
    record KeyData(List<Resource> resources, String missing) {
        static KeyData of(List<Resource> resources) {
            return new KeyData(resources, null);
        }

        static KeyData missing(String why) {
            return new KeyData(List.of(), why);
        }
    }

    /**
     * @param ehr the client's FHIR server for this call (whether it may be called, the call's deadline)
     * @param sameIdSpace the client's patient ids are our store's (its fhirServer is this server)
     */
    PatientRecord gather(HookRequest request, EhrCalls ehr, boolean sameIdSpace) {
        return gather(request, ehr, sameIdSpace, PrefetchKey.ORDER);
    }

    /** @param keys the service's prefetch keys: only these are read; the others count as empty */
    PatientRecord gather(HookRequest request, EhrCalls ehr, boolean sameIdSpace, java.util.Set<PrefetchKey> keys) {
        return gather(request, ehr, sameIdSpace, keys, java.util.Set.of());
    }

    /**
     * Whether {@link #gather(HookRequest, EhrCalls, boolean, java.util.Set, java.util.Set) gathering}
     * with these keys deferred would leave one of them unread: the client did not send it, so it would
     * be read from its FHIR server.
     */
    static boolean defers(HookRequest request, EhrCalls ehr, java.util.Collection<PrefetchKey> deferred) {
        return deferred.stream().anyMatch(key -> unread(key, request, ehr, deferred));
    }

    /** A deferred key the client did not send, which would otherwise be read from its FHIR server. */
    private static boolean unread(
            PrefetchKey key, HookRequest request, EhrCalls ehr, java.util.Collection<PrefetchKey> deferred) {
        return deferred.contains(key)
                && request.prefetch().get(key) instanceof PrefetchValue.NotSupplied
                && ehr.available();
    }

    /**
     * @param deferred keys not read from the client's FHIR server when the client did not send them: they
     *     count as missing ("not read yet"), so a decision that needs them says so (Undecidable) and the
     *     caller gathers again without deferring; the reads already made are not repeated ({@link EhrCalls}
     *     keeps them for the call)
     */
    PatientRecord gather(
            HookRequest request,
            EhrCalls ehr,
            boolean sameIdSpace,
            java.util.Set<PrefetchKey> keys,
            java.util.Set<PrefetchKey> deferred) {
        Map<PrefetchKey, CompletableFuture<KeyData>> pending = new EnumMap<>(PrefetchKey.class);
        for (PrefetchKey key : PrefetchKey.values()) {
            PrefetchValue sent = request.prefetch().get(key);
            CompletableFuture<KeyData> data;
            if (!keys.contains(key)) {
                data = CompletableFuture.completedFuture(KeyData.of(List.of()));
            } else if (unread(key, request, ehr, deferred)) {
                data = CompletableFuture.completedFuture(
                        KeyData.missing("not read yet: needed only where it changes the card"));
            } else {
                data = resolve(key, sent, request.patientId(), ehr);
            }
            pending.put(key, data);
        }

        String patientId = request.patientId();
        Map<PrefetchKey, KeyData> data = new EnumMap<>(PrefetchKey.class);
        for (Map.Entry<PrefetchKey, CompletableFuture<KeyData>> entry : pending.entrySet()) {
            data.put(entry.getKey(), await(entry.getValue(), ehr));
        }

        List<PrefetchKey> missing = new ArrayList<>();
        data.forEach((key, value) -> {
            if (value.missing() != null) {
                missing.add(key);
            }
        });
        Patient ehrPatient = data.get(PrefetchKey.PATIENT).resources().stream()
                .filter(Patient.class::isInstance)
                .map(Patient.class::cast)
                // Only the Patient plainly named context.patientId: one without an id could be anyone, and its
                // identifiers would pick records of our store (an outside attack read another person's alert).
                .filter(p -> p.getIdElement().hasIdPart()
                        && p.getIdElement().getIdPart().equals(patientId))
                .findFirst()
                .orElse(null);
        EhrSubject about = new EhrSubject(patientId, ehrPatient, identity);
        List<Condition> conditions = ofType(data.get(PrefetchKey.CONDITIONS), Condition.class, about);
        List<Resource> ehrEvidence = new ArrayList<>();
        for (Class<? extends Resource> type : List.of(Observation.class, DiagnosticReport.class, Specimen.class)) {
            for (PrefetchKey key : List.of(PrefetchKey.OBSERVATIONS, PrefetchKey.REPORTS)) {
                ehrEvidence.addAll(ofType(data.get(key), type, about));
            }
        }
        KeyData medicationData = data.get(PrefetchKey.MEDICATIONS);
        List<MedicationRequest> medications =
                medicationData.missing() != null ? null : ofType(medicationData, MedicationRequest.class, about);
        List<Resource> others = new ArrayList<>(medicationData.resources().stream()
                .filter(Medication.class::isInstance)
                .toList());
        List<Resource> chart = new ArrayList<>();
        chart.addAll(ofType(data.get(PrefetchKey.SERVICE_REQUESTS), ServiceRequest.class, about));
        chart.addAll(ofType(data.get(PrefetchKey.SPECIMENS), Specimen.class, about));
        chart.addAll(ofType(data.get(PrefetchKey.STAGING), Observation.class, about));

        List<String> cautions = new ArrayList<>();
        if (!about.leftOut.isEmpty()) {
            cautions.add(StoreCautions.ehrLeftOut(about.leftOut.size()));
        }
        List<org.rasguard.decision.PastMedication> history =
                MedicationHistory.of(PrefetchKey.HISTORY.stream().map(data::get).toList(), about::test);
        StorePatientMatcher.Matched matched = matcher.forEhrPatient(patientId, ehrPatient, sameIdSpace);
        EvidenceStore.StoredEvidence stored = storeEvidence(matched, cautions);
        return new PatientRecord(
                ehrPatient,
                conditions,
                ehrEvidence,
                medications,
                others,
                stored.resources(),
                stored.truncated(),
                cautions,
                matched.notes(),
                missing,
                history,
                chart,
                List.copyOf(matched.ids()));
    }

    private static CompletableFuture<KeyData> resolve(
            PrefetchKey key, PrefetchValue value, String patientId, EhrCalls ehr) {
        if (value instanceof PrefetchValue.NoData) {
            return CompletableFuture.completedFuture(KeyData.of(List.of()));
        }
        if (value instanceof PrefetchValue.Resources resources) {
            if (resources.next() == null) {
                if (SearchCompleteness.shortOf(resources.total(), resources.matches())) {
                    return fetch(
                            key,
                            patientId,
                            ehr,
                            "the prefetch holds fewer results than its total and " + ehr.whyUnavailable());
                }
                return CompletableFuture.completedFuture(KeyData.of(resources.resources()));
            }
            if (!ehr.available()) {
                return CompletableFuture.completedFuture(
                        KeyData.missing("the prefetch is paginated and " + ehr.whyUnavailable()));
            }
            return ehr.get(resources.next()).thenApply(fetched -> {
                if (!(fetched instanceof EhrFetch.Found found)) {
                    return KeyData.missing("its next page could not be read");
                }
                if (found.shortOfTotal(resources.matches())) {
                    return KeyData.missing("its pages hold fewer results than its total");
                }
                return KeyData.of(concat(resources.resources(), found.resources()));
            });
        }
        String why = value instanceof PrefetchValue.Failed
                ? "the client could not prefetch it and " + ehr.whyUnavailable()
                : "it was not prefetched and " + ehr.whyUnavailable();
        return fetch(key, patientId, ehr, why);
    }

    private static CompletableFuture<KeyData> fetch(
            PrefetchKey key, String patientId, EhrCalls ehr, String whyMissing) {
        if (!ehr.available()) {
            return CompletableFuture.completedFuture(KeyData.missing(whyMissing));
        }
        return ehr.get(key.query(patientId)).thenApply(fetched -> {
            if (fetched instanceof EhrFetch.Found found) {
                return found.shortOfTotal(0)
                        ? KeyData.missing("the FHIR server's pages hold fewer results than its total")
                        : KeyData.of(found.resources());
            }
            if (fetched instanceof EhrFetch.NotFound) {
                return key.isRead() ? KeyData.of(List.of()) : KeyData.missing("the FHIR server found no such search");
            }
            return KeyData.missing(
                    "the FHIR server did not answer usefully (" + ((EhrFetch.Failed) fetched).reason() + ")");
        });
    }

    private static KeyData await(CompletableFuture<KeyData> future, EhrCalls ehr) {
        try {
            return future.get(ehr.remainingNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return KeyData.missing("the FHIR server did not answer in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return KeyData.missing("interrupted");
        } catch (ExecutionException | java.util.concurrent.CancellationException e) {
            return KeyData.missing("the FHIR server could not be read");
        }
    }

    private static <T extends Resource> List<T> ofType(KeyData data, Class<T> type, EhrSubject about) {
        List<T> out = new ArrayList<>();
        for (Resource resource : data.resources()) {
            collect(resource, type, about, out, 0);
        }
        return out;
    }

    /** How deep Bundles inside a key's answer are read (as {@code EvidenceGraph} reads stored ones). */
    private static final int MAX_NESTED_BUNDLES = 4;

    /**
     * A resource of the key's type about the patient; a Bundle among the answer (a searchset inside a
     * searchset, a document) is read entry by entry under the same rules, never skipped: an outside attack
     * put a KRAS mutation in a nested Bundle beside top-level negatives, and the negatives alone decided
     * wild-type. A Bundle nested deeper than {@value #MAX_NESTED_BUNDLES} is left out and counted.
     */
    private static <T extends Resource> void collect(
            Resource resource, Class<T> type, EhrSubject about, List<T> out, int depth) {
        if (resource instanceof Bundle bundle && !type.isInstance(resource)) {
            if (depth >= MAX_NESTED_BUNDLES) {
                about.leftOut.add("Bundle/" + bundle.getIdElement().getIdPart());
                return;
            }
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                if (entry.hasResource()) {
                    collect(entry.getResource(), type, about, out, depth + 1);
                }
            }
            return;
        }
        if (type.isInstance(resource) && about.test(resource)) {
            EvidenceConfinement.leaveOutContained(resource, about::names, about.leftOut);
            out.add(type.cast(resource));
        }
    }

    /**
     * Whether a resource the client sent is about the call's patient: its subject is a literal
     * reference to {@code Patient/{context.patientId}} ({@link PatientReference}), or a person
     * identifier the EHR's Patient carries ({@link PersonIdentity}: the same rules as store matching). Anything else (another patient, a Group, an unreadable or missing
     * subject) is left out and counted: a client's mistake must not mix two patients.
     */
    static final class EhrSubject {
        private final String patientId;
        private final Patient ehrPatient;
        private final PersonIdentity identity;
        final List<String> leftOut = new ArrayList<>();

        EhrSubject(String patientId, Patient ehrPatient, PersonIdentity identity) {
            this.patientId = patientId;
            this.ehrPatient = ehrPatient;
            this.identity = identity;
        }

        boolean test(Resource resource) {
            Reference subject = EvidenceConfinement.subject(resource);
            if (subject != null && names(subject)) {
                return true;
            }
            leftOut.add(resource.fhirType() + "/" + resource.getIdElement().getIdPart());
            return false;
        }

        boolean names(Reference subject) {
            if (subject.hasReference()) {
                return PatientReference.patientId(subject)
                        .filter(patientId::equals)
                        .isPresent();
            }
            return subject.hasIdentifier()
                    && subject.getIdentifier().hasValue()
                    && identity.identifiers(ehrPatient)
                            .getOrDefault(subject.getIdentifier().getSystem(), java.util.Set.of())
                            .contains(subject.getIdentifier().getValue());
        }
    }

    // ------------------------------------------------------------------ our genomics store

    /**
     * Our store's evidence of this person, confined to the records {@link StorePatientMatcher} finds,
     * with the cautions of matching and of reading (cut short, links to someone else's results).
     */
    private EvidenceStore.StoredEvidence storeEvidence(StorePatientMatcher.Matched matched, List<String> cautions) {
        cautions.addAll(matched.cautions());
        if (matched.ids().isEmpty()) {
            return new EvidenceStore.StoredEvidence(List.of(), false, List.of());
        }
        EvidenceStore.StoredEvidence stored = store.evidence(matched.ids(), maxStoreResources);
        cautions.addAll(StoreCautions.ofReading(stored, maxStoreResources));
        List<Resource> evidence = new ArrayList<>(stored.resources());
        namespace(evidence);
        return new EvidenceStore.StoredEvidence(evidence, stored.truncated(), stored.leftOut());
    }

    /**
     * Prefixes the ids of our resources, and the relative references between them, so that our
     * {@code Observation/12} can never be taken for the client's {@code Observation/12}.
     */
    private void namespace(List<Resource> resources) {
        FhirTerser terser = fhir.newTerser();
        for (Resource resource : resources) {
            IdType id = resource.getIdElement();
            if (id.hasIdPart() && !id.getIdPart().startsWith(CardFactory.STORE_ID_PREFIX)) {
                resource.setIdElement(new IdType(
                        resource.fhirType(), CardFactory.STORE_ID_PREFIX + id.getIdPart(), id.getVersionIdPart()));
            }
            for (Reference reference : terser.getAllPopulatedChildElementsOfType(resource, Reference.class)) {
                String target = reference.getReference();
                if (target == null || target.startsWith("#") || target.contains(":")) {
                    continue;
                }
                IdType targetId = new IdType(target);
                if (targetId.hasResourceType()
                        && targetId.hasIdPart()
                        && !targetId.getIdPart().startsWith(CardFactory.STORE_ID_PREFIX)) {
                    reference.setReference(
                            targetId.getResourceType() + "/" + CardFactory.STORE_ID_PREFIX + targetId.getIdPart());
                }
            }
        }
    }

    private static List<Resource> concat(List<Resource> first, List<Resource> second) {
        List<Resource> out = new ArrayList<>(first);
        out.addAll(second);
        return out;
    }
}

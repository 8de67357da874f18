package org.rasguard.hooks;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.util.FhirTerser;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.rasguard.cards.CardFactory;

/**
 * Collects the patient's record for one call. Per prefetch key: use what the client sent; fetch
 * from the client's FHIR server what it did not send, what it failed to get (OperationOutcome) and
 * the further pages of a paginated Bundle, all in parallel under one deadline; otherwise the key is
 * missing. Always also reads our own genomics store, matching the patient by id and by the
 * identifiers of the client's Patient.
 *
 * <p>Resources whose subject is another patient are dropped, whatever the client sent.
 */
final class RecordGatherer {

    static final int STORE_LIMIT = 500;
    private static final int MAX_IDENTIFIERS = 10;
    private static final int MAX_PATIENTS_PER_IDENTIFIER = 5;

    private final FhirContext fhir;
    private final EhrFhirClient client;
    private final EvidenceStore store;
    private final long budgetMillis;

    RecordGatherer(FhirContext fhir, EhrFhirClient client, EvidenceStore store, long budgetMillis) {
        this.fhir = fhir;
        this.client = client;
        this.store = store;
        this.budgetMillis = budgetMillis;
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
     * @param ehr the client's FHIR server if it may be called, else null
     * @param whyNoServer why it may not be called (no fhirServer, not on the allowlist), for the 412 text
     */
    PatientRecord gather(HookRequest request, EhrServer ehr, String whyNoServer, IParser parser) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(budgetMillis);
        Map<PrefetchKey, CompletableFuture<KeyData>> pending = new EnumMap<>(PrefetchKey.class);
        for (PrefetchKey key : PrefetchKey.values()) {
            PrefetchValue value = PrefetchValue.read(request.prefetch(), key, parser);
            pending.put(key, resolve(key, value, request.patientId(), ehr, whyNoServer));
        }

        // Our store by id runs while the client's server answers.
        String patientId = request.patientId();
        Optional<Patient> ourById = store.patient(patientId);
        EvidenceStore.StoredEvidence byIdEvidence = ourById.map(p -> store.evidence(patientId, STORE_LIMIT)).orElse(null);

        Map<PrefetchKey, KeyData> data = new EnumMap<>(PrefetchKey.class);
        for (Map.Entry<PrefetchKey, CompletableFuture<KeyData>> entry : pending.entrySet()) {
            data.put(entry.getKey(), await(entry.getValue(), deadline));
        }

        List<PrefetchKey> missing = new ArrayList<>();
        data.forEach((key, value) -> {
            if (value.missing() != null) {
                missing.add(key);
            }
        });
        Patient ehrPatient = data.get(PrefetchKey.PATIENT).resources().stream()
                .filter(Patient.class::isInstance).map(Patient.class::cast)
                .filter(p -> !p.getIdElement().hasIdPart() || p.getIdElement().getIdPart().equals(patientId))
                .findFirst().orElse(null);
        List<Condition> conditions = ofType(data.get(PrefetchKey.CONDITIONS), Condition.class, patientId);
        List<Observation> observations = ofType(data.get(PrefetchKey.OBSERVATIONS), Observation.class, patientId);
        KeyData medicationData = data.get(PrefetchKey.MEDICATIONS);
        List<MedicationRequest> medications = medicationData.missing() != null ? null
                : ofType(medicationData, MedicationRequest.class, patientId);
        List<Resource> others = new ArrayList<>(medicationData.resources().stream().filter(Medication.class::isInstance).toList());

        List<String> cautions = new ArrayList<>();
        List<Resource> storeEvidence = storeEvidence(patientId, ehrPatient, ourById, byIdEvidence, cautions);
        return new PatientRecord(ehrPatient, conditions, observations, medications, others, storeEvidence, cautions, missing);
    }

    private CompletableFuture<KeyData> resolve(PrefetchKey key, PrefetchValue value, String patientId, EhrServer ehr, String whyNoServer) {
        if (value instanceof PrefetchValue.NoData) {
            return CompletableFuture.completedFuture(KeyData.of(List.of()));
        }
        if (value instanceof PrefetchValue.Resources resources) {
            if (resources.next() == null) {
                return CompletableFuture.completedFuture(KeyData.of(resources.resources()));
            }
            if (ehr == null) {
                return CompletableFuture.completedFuture(KeyData.missing("the prefetch is paginated and " + whyNoServer));
            }
            return client.get(ehr, resources.next()).thenApply(fetched -> fetched instanceof EhrFetch.Found found
                    ? KeyData.of(concat(resources.resources(), found.resources()))
                    : KeyData.missing("its next page could not be read"));
        }
        String why = value instanceof PrefetchValue.Failed
                ? "the client could not prefetch it and " + whyNoServer
                : "it was not prefetched and " + whyNoServer;
        return fetch(key, patientId, ehr, why);
    }

    private CompletableFuture<KeyData> fetch(PrefetchKey key, String patientId, EhrServer ehr, String whyMissing) {
        if (ehr == null) {
            return CompletableFuture.completedFuture(KeyData.missing(whyMissing));
        }
        return client.get(ehr, key.query(patientId)).thenApply(fetched -> {
            if (fetched instanceof EhrFetch.Found found) {
                return KeyData.of(found.resources());
            }
            if (fetched instanceof EhrFetch.NotFound) {
                return key.isRead() ? KeyData.of(List.of()) : KeyData.missing("the FHIR server found no such search");
            }
            return KeyData.missing("the FHIR server did not answer usefully (" + ((EhrFetch.Failed) fetched).reason() + ")");
        });
    }

    private static KeyData await(CompletableFuture<KeyData> future, long deadlineNanos) {
        try {
            long remaining = Math.max(0, deadlineNanos - System.nanoTime());
            return future.get(remaining, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return KeyData.missing("the FHIR server did not answer in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return KeyData.missing("interrupted");
        } catch (ExecutionException e) {
            return KeyData.missing("the FHIR server could not be read");
        }
    }

    private static <T extends Resource> List<T> ofType(KeyData data, Class<T> type, String patientId) {
        List<T> out = new ArrayList<>();
        for (Resource resource : data.resources()) {
            if (type.isInstance(resource) && aboutPatient(resource, patientId)) {
                out.add(type.cast(resource));
            }
        }
        return out;
    }

    /** False only when the subject names another Patient: a client's mistake must not mix two patients. */
    static boolean aboutPatient(Resource resource, String patientId) {
        Reference subject = null;
        if (resource instanceof Observation observation) {
            subject = observation.getSubject();
        } else if (resource instanceof Condition condition) {
            subject = condition.getSubject();
        } else if (resource instanceof MedicationRequest request) {
            subject = request.getSubject();
        }
        if (subject == null || !subject.hasReference() || subject.getReference().startsWith("#")
                || subject.getReference().startsWith("urn:")) {
            return true;
        }
        IdType id = new IdType(subject.getReference());
        return !"Patient".equals(id.getResourceType()) || patientId.equals(id.getIdPart());
    }

    // ------------------------------------------------------------------ our genomics store

    private List<Resource> storeEvidence(String patientId, Patient ehrPatient, Optional<Patient> ourById,
            EvidenceStore.StoredEvidence byIdEvidence, List<String> cautions) {
        Set<String> matched = new LinkedHashSet<>();
        List<Resource> evidence = new ArrayList<>();
        boolean truncated = false;
        if (ourById.isPresent() && !conflicts(ehrPatient, ourById.get())) {
            matched.add(patientId);
            evidence.addAll(byIdEvidence.resources());
            truncated |= byIdEvidence.truncated();
        }
        if (ehrPatient != null) {
            int asked = 0;
            for (Identifier identifier : ehrPatient.getIdentifier()) {
                if (!identifier.hasSystem() || !identifier.hasValue() || asked++ >= MAX_IDENTIFIERS) {
                    continue;
                }
                for (Patient ours : store.patientsByIdentifier(identifier.getSystem(), identifier.getValue(), MAX_PATIENTS_PER_IDENTIFIER)) {
                    String id = ours.getIdElement().getIdPart();
                    if (id != null && matched.add(id)) {
                        EvidenceStore.StoredEvidence stored = store.evidence(id, STORE_LIMIT);
                        evidence.addAll(stored.resources());
                        truncated |= stored.truncated();
                    }
                }
            }
        }
        if (truncated) {
            cautions.add("more genomic results than could be read");
        }
        if (matched.size() > 1) {
            cautions.add("several patients in the RAS Guard store match");
        }
        namespace(evidence);
        return evidence;
    }

    /** Two records of the same person cannot hold different values for the same identifier system. */
    static boolean conflicts(Patient ehr, Patient ours) {
        if (ehr == null) {
            return false;
        }
        for (Identifier theirs : ehr.getIdentifier()) {
            for (Identifier mine : ours.getIdentifier()) {
                if (theirs.hasSystem() && theirs.hasValue() && mine.hasValue() && theirs.getSystem().equals(mine.getSystem())
                        && !theirs.getValue().equals(mine.getValue())) {
                    return true;
                }
            }
        }
        return false;
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
                resource.setIdElement(new IdType(resource.fhirType(), CardFactory.STORE_ID_PREFIX + id.getIdPart(), id.getVersionIdPart()));
            }
            for (Reference reference : terser.getAllPopulatedChildElementsOfType(resource, Reference.class)) {
                String target = reference.getReference();
                if (target == null || target.startsWith("#") || target.contains(":")) {
                    continue;
                }
                IdType targetId = new IdType(target);
                if (targetId.hasResourceType() && targetId.hasIdPart() && !targetId.getIdPart().startsWith(CardFactory.STORE_ID_PREFIX)) {
                    reference.setReference(targetId.getResourceType() + "/" + CardFactory.STORE_ID_PREFIX + targetId.getIdPart());
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

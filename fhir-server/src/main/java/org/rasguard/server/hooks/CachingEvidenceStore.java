package org.rasguard.server.hooks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.rasguard.cdshooks.EvidenceStore;
import org.rasguard.server.store.StoreVersion;

/**
 * Our store's answers for the CDS service, kept between calls while the store has not changed. Every
 * answer is stamped with the {@link StoreVersion} read before it was loaded and served again only
 * while that number is the same: a result committed a moment ago, on this server or on a replica,
 * is always seen by the next call. What a hit costs is one primary-key read and a copy.
 *
 * <p>Callers get copies: the CDS service rewrites ids and references of what it reads (so our
 * {@code Observation/12} is never taken for the EHR's), and must never touch what is cached.
 *
 * <p>Bounded by the number of resources held ({@code RASGUARD_STORE_CACHE_RESOURCES}); an entry is
 * also dropped after {@link #MAX_AGE}, a backstop should the database be changed behind HAPI's back.
 */
final class CachingEvidenceStore implements EvidenceStore {

    static final Duration MAX_AGE = Duration.ofMinutes(10);

    private final EvidenceStore store;
    private final LongSupplier version;
    private final Cache<Key, Stamped> cache;

    private record Key(String kind, Object id, int limit) {}

    private record Stamped(long version, Object value, int resources) {}

    /**
     * @param maxResources how many resources the cache may hold, in all entries together; at least 1
     */
    CachingEvidenceStore(EvidenceStore store, LongSupplier version, long maxResources) {
        this.store = store;
        this.version = version;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxResources)
                .weigher((Key key, Stamped entry) -> entry.resources())
                .expireAfterWrite(MAX_AGE)
                .build();
    }

    @Override
    public Optional<Patient> patient(String id) {
        Optional<Patient> patient = cached(new Key("patient", id, 0), () -> store.patient(id), found -> 1);
        return patient.map(Patient::copy);
    }

    @Override
    public List<Patient> patientsByIdentifier(String system, String value, int limit) {
        List<Patient> patients = cached(
                new Key("identifier", system + "|" + value, limit),
                () -> store.patientsByIdentifier(system, value, limit),
                found -> 1 + found.size());
        return patients.stream().map(Patient::copy).toList();
    }

    @Override
    public StoredEvidence evidence(List<String> patientIds, int maxResources) {
        StoredEvidence evidence = cached(
                new Key("evidence", List.copyOf(patientIds), maxResources),
                () -> store.evidence(patientIds, maxResources),
                found -> 1 + found.resources().size());
        return new StoredEvidence(
                evidence.resources().stream().map(Resource::copy).toList(), evidence.truncated(), evidence.leftOut());
    }

    @SuppressWarnings("unchecked")
    private <T> T cached(Key key, Supplier<T> load, java.util.function.ToIntFunction<T> size) {
        long now = version.getAsLong(); // before loading: a write committed meanwhile shows at the next look
        Stamped hit = cache.getIfPresent(key);
        if (hit != null && hit.version() == now) {
            return (T) hit.value();
        }
        T loaded = load.get();
        Stamped fresh = new Stamped(now, loaded, size.applyAsInt(loaded));
        // Of two loads racing past a write, the one stamped with the newer number stays.
        cache.asMap().merge(key, fresh, (old, neu) -> old.version() > neu.version() ? old : neu);
        return loaded;
    }
}

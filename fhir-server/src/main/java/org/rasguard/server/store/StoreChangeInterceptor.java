package org.rasguard.server.store;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.orm.jpa.EntityManagerFactoryUtils;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Moves {@link StoreVersion} on in every database transaction that creates, updates or deletes a
 * resource, whatever the path (REST, transaction Bundle, the server's own writes): registered on
 * HAPI JPA's interceptor service, which sees every write.
 *
 * <p>The increment runs once per transaction, in that transaction, just before it commits: the new
 * number and the new data become visible together, and the row lock it takes is held only for the
 * commit itself, so concurrent ingest transactions do not queue behind one another for their whole
 * length.
 *
 * <p>AuditEvents do not move it: the audit trail writes one per CDS call, and no evidence is read
 * from them.
 */
@Interceptor
public final class StoreChangeInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(StoreChangeInterceptor.class);

    private final EntityManagerFactory entityManagers;

    public StoreChangeInterceptor(EntityManagerFactory entityManagers) {
        this.entityManagers = entityManagers;
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        changed(resource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource) {
        changed(resource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void deleted(IBaseResource resource) {
        changed(resource);
    }

    /** A conditional delete ({@code DELETE Observation?_id=…}) reaches only this pointcut (found by attacking the cache). */
    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
    public void deleting(IBaseResource resource) {
        changed(resource);
    }

    private void changed(IBaseResource resource) {
        if (resource != null && "AuditEvent".equals(resource.fhirType())) {
            return;
        }
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            // HAPI writes inside a Spring transaction; without one there is no commit to wait for.
            LOG.error(
                    "A resource was written outside a Spring transaction: caches keyed on the store version may be stale");
            return;
        }
        for (TransactionSynchronization registered : TransactionSynchronizationManager.getSynchronizations()) {
            if (registered instanceof IncrementBeforeCommit) {
                return;
            }
        }
        TransactionSynchronizationManager.registerSynchronization(new IncrementBeforeCommit());
    }

    /** The increment, in the committing transaction's own connection. */
    private final class IncrementBeforeCommit implements TransactionSynchronization {
        @Override
        public void beforeCommit(boolean readOnly) {
            EntityManager inTransaction = EntityManagerFactoryUtils.getTransactionalEntityManager(entityManagers);
            if (inTransaction == null) {
                LOG.error("No transactional EntityManager at commit: caches keyed on the store version may be stale");
                return;
            }
            // A native statement flushes HAPI's pending writes first, so this row is the last lock taken.
            inTransaction.createNativeQuery(StoreVersion.INCREMENT).executeUpdate();
        }
    }
}

package org.rasguard.server.store;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import jakarta.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The store's version number, and the interceptor that moves it on with every write. */
@Configuration
public class StoreConfig {

    @Bean
    public StoreVersion storeVersion(DataSource dataSource) {
        return new StoreVersion(dataSource).createTable();
    }

    /** On HAPI JPA's own interceptor service: it sees every write, not only those made through REST. */
    @Bean
    public StoreChangeInterceptor storeChangeInterceptor(
            EntityManagerFactory entityManagers, IInterceptorService jpaInterceptors, StoreVersion tableCreatedFirst) {
        StoreChangeInterceptor interceptor = new StoreChangeInterceptor(entityManagers);
        jpaInterceptors.registerInterceptor(interceptor);
        return interceptor;
    }
}

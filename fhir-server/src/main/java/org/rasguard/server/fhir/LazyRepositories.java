package org.rasguard.server.fhir;

import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.DependencyDescriptor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.annotation.ContextAnnotationAutowireCandidateResolver;
import org.springframework.data.repository.Repository;

/**
 * HAPI's Spring Data repositories (about a hundred, {@code ca.uhn.fhir.jpa.dao.data}) built on first use
 * instead of at start: Spring Data's {@code BootstrapMode.LAZY}, which HAPI's own
 * {@code @EnableJpaRepositories} does not ask for. Building a repository creates and validates every
 * {@code @Query} of it, i.e. parses the HQL twice (Spring Data's query enhancer and Hibernate); a JFR
 * profile of the start put about a fifth of the main thread there, for queries most of which this
 * server never runs. Same mechanism as Spring Data's lazy mode: the repository beans are lazy, and a
 * bean that injects one gets a proxy that builds it on the first call (then holds it).
 *
 * <p>What a repository does is unchanged; a query that does not validate fails on its repository's first
 * use instead of at start (HAPI's queries are HAPI's, fixed per release).
 *
 * @see <a href="https://docs.spring.io/spring-data/jpa/reference/repositories/create-instances.html#repositories.bootstrap-mode">Spring Data: bootstrap modes</a>
 */
final class LazyRepositories implements BeanFactoryPostProcessor {

    private static final String JPA_REPOSITORY_FACTORY_BEAN =
            "org.springframework.data.jpa.repository.support.JpaRepositoryFactoryBean";

    /** Names of the repository beans made lazy (for the log and tests). */
    private final List<String> lazy = new ArrayList<>();

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        for (String name : beanFactory.getBeanDefinitionNames()) {
            BeanDefinition definition = beanFactory.getBeanDefinition(name);
            if (JPA_REPOSITORY_FACTORY_BEAN.equals(definition.getBeanClassName())) {
                definition.setLazyInit(true);
                lazy.add(name);
            }
        }
        if (beanFactory instanceof DefaultListableBeanFactory listable
                && listable.getAutowireCandidateResolver().getClass()
                        == ContextAnnotationAutowireCandidateResolver.class) {
            listable.setAutowireCandidateResolver(new LazyRepositoryInjection());
        }
    }

    List<String> lazyRepositories() {
        return List.copyOf(lazy);
    }

    /** A dependency of a repository type is injected as a lazy-resolution proxy; all others as before. */
    private static final class LazyRepositoryInjection extends ContextAnnotationAutowireCandidateResolver {
        @Override
        protected boolean isLazy(DependencyDescriptor descriptor) {
            return super.isLazy(descriptor) || Repository.class.isAssignableFrom(descriptor.getDependencyType());
        }
    }
}

package org.rasguard.server.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.data.jpa.repository.support.JpaRepositoryFactoryBean;
import org.springframework.data.repository.Repository;

/** HAPI's repositories are built on their first call, not when the beans that inject them are. */
class LazyRepositoriesTest {

    interface Things extends Repository<Object, Long> {
        long count();
    }

    static class NeedsThings {
        @Autowired
        Things things;

        @Autowired
        Other other;
    }

    static class Other {}

    @Test
    void aBeanInjectingARepositoryIsBuiltWithoutTheRepositoryWhichIsBuiltOnItsFirstCall() {
        LazyRepositories lazy = new LazyRepositories();
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            // A repository as Spring Data registers it; without an EntityManager it cannot be built.
            RootBeanDefinition repository = new RootBeanDefinition(JpaRepositoryFactoryBean.class);
            repository.getConstructorArgumentValues().addGenericArgumentValue(Things.class);
            repository.setAttribute(FactoryBean.OBJECT_TYPE_ATTRIBUTE, Things.class);
            context.registerBeanDefinition("things", repository);
            context.registerBean(Other.class);
            context.registerBean(NeedsThings.class);
            context.addBeanFactoryPostProcessor(lazy);

            context.refresh();

            assertThat(lazy.lazyRepositories()).containsExactly("things");
            NeedsThings consumer = context.getBean(NeedsThings.class);
            assertThat(consumer.other).isSameAs(context.getBean(Other.class)); // other dependencies as before
            assertThat(consumer.things).isNotNull();
            assertThatThrownBy(() -> consumer.things.count())
                    .isInstanceOf(BeanCreationException.class)
                    .hasMessageContaining("things");
        }
    }
}

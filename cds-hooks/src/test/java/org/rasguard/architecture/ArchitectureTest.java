package org.rasguard.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering of cds-hooks (README, Layout), checked on the compiled classes: the RAS engine and the
 * decision are pure (no CDS Hooks adapter, no JSON library, no HTTP), the knowledge and the cards know
 * nothing of the adapter, and no two packages depend on each other.
 */
@AnalyzeClasses(packages = "org.rasguard", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule theEngineAndTheDecisionKnowNoAdapterJsonOrHttp = noClasses()
            .that()
            .resideInAnyPackage("org.rasguard.ras..", "org.rasguard.decision..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "org.rasguard.cdshooks..", "com.fasterxml..", "org.eclipse.jetty..", "jakarta.servlet..")
            .because("the RAS rules are decided the same whoever asks: the CDS adapter, $ras-status, a test");

    @ArchTest
    static final ArchRule theKnowledgeAndTheCardsKnowNoAdapter = noClasses()
            .that()
            .resideInAnyPackage("org.rasguard.knowledge..", "org.rasguard.cards..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.rasguard.cdshooks..")
            .because("only the CDS Hooks adapter knows requests, prefetch and HTTP status");

    @ArchTest
    static final ArchRule noPackageCycles =
            slices().matching("org.rasguard.(*)..").should().beFreeOfCycles();
}

package com.commdesk.workflows;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Workflow code must replay identically: no I/O, no wall clock, no randomness, no threads but
 * Temporal's. The enforcer keeps Spring/jOOQ/JDBC off the classpath; this keeps the JDK's
 * non-deterministic APIs out of the code.
 */
class WorkflowPurityTest {
    /** Everything in the module but the client connection code (used by the api and worker apps). */
    static final JavaClasses WORKFLOWS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("/com/commdesk/workflows/client/"))
            .importPackages("com.commdesk.workflows");

    @Test
    void noIoClocksRandomnessOrThreads() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("java.io..", "java.nio..", "java.net..", "java.sql..", "javax.sql..",
                        "java.util.concurrent..", "org.springframework..", "org.jooq..")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(java.time.LocalDateTime.class, "now")
                .orShould().callMethod(java.time.OffsetDateTime.class, "now")
                .orShould().callMethod(Thread.class, "sleep", long.class)
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.Random")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.UUID")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Thread")
                .because("workflow code is replayed and must be deterministic")
                .check(WORKFLOWS);
    }
}

package com.commdesk.worker;

import com.commdesk.workflows.client.SearchAttributeRegistration;
import com.commdesk.workflows.client.TemporalSettings;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Registers the workflows' search attributes before any worker polls (singletons are created before
 * the worker lifecycle starts). {@code commdesk.temporal.register-search-attributes=false} skips it
 * where the attributes are managed outside the platform (Temporal Cloud: docs/operations.md).
 */
@Configuration(proxyBeanMethods = false)
class SearchAttributesSetup {
    private static final Logger log = LoggerFactory.getLogger(SearchAttributesSetup.class);

    /** A marker that the namespace is ready; the bean's creation is the registration. */
    record Registered(List<String> added) {}

    @Bean
    Registered searchAttributesRegistered(WorkflowServiceStubs stubs, Environment env,
                                          @Value("${commdesk.temporal.register-search-attributes:true}") boolean register) {
        if (!register) {
            log.info("Temporal search attributes: registration skipped (commdesk.temporal.register-search-attributes=false)");
            return new Registered(List.of());
        }
        String namespace = TemporalSettings.fromLookup(env::getProperty, "127.0.0.1:7233").namespace();
        List<String> added = SearchAttributeRegistration.ensure(stubs, namespace);
        log.info("Temporal search attributes in namespace {}: {}", namespace, added.isEmpty() ? "all present" : "added " + added);
        return new Registered(added);
    }
}

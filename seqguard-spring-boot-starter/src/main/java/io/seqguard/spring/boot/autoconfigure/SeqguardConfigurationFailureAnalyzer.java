package io.seqguard.spring.boot.autoconfigure;

import io.seqguard.GuardOption;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;

/**
 * Reports a wrong {@code seqguard.*} configuration: a {@link SeqguardConfigurationException}, and a value Spring Boot
 * could not convert for a seqguard property ({@code seqguard.lock-timeout=ten}), which it would otherwise report
 * without saying what is accepted. Ordered before Spring Boot's own analyzers, which would take the binding failure
 * first; it leaves every other failure to them.
 */
class SeqguardConfigurationFailureAnalyzer implements FailureAnalyzer, Ordered {

    private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("seqguard");

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SeqguardConfigurationException configuration) {
                return new FailureAnalysis(configuration.getDescription(), configuration.getAction(), configuration);
            }
            if (t instanceof BindException bind && bind.getProperty() != null
                    && ROOT.isAncestorOf(bind.getProperty().getName())) {
                return unconvertible(bind, bind.getProperty());
            }
        }
        return null;
    }

    /** A value Spring could not convert: the option's own parser says why, and what it accepts. */
    private static FailureAnalysis unconvertible(BindException bind, ConfigurationProperty property) {
        ConfigurationPropertyName name = property.getName();
        int at = name.getNumberOfElements() > 3 && name.getElement(1, Form.UNIFORM).equals("datasources") ? 3 : 1;
        GuardOption<?> option = null;
        for (GuardOption<?> candidate : GuardOption.all()) {
            if (PropertyCheck.uniform(candidate.key()).equals(name.getElement(at, Form.UNIFORM))) {
                option = candidate;
            }
        }
        String key = name.toString();
        String value = String.valueOf(property.getValue());
        String origin = property.getOrigin() != null ? " (" + property.getOrigin() + ")" : "";
        String reason = null;
        if (option != null) {
            try {
                option.parse(value, key);
            } catch (IllegalArgumentException e) {
                reason = e.getMessage();
            }
        }
        if (reason == null) {
            // the option's parser takes it, Spring's conversion does not: Spring's reason is the one that holds
            Throwable root = bind;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            reason = key + ": '" + value + "' cannot be converted: " + root.getMessage();
        }
        String action = option != null ? "Change " + key + ". " + option.key() + ": " + option.description()
                : PropertyCheck.accepted();
        return new FailureAnalysis(reason + origin + ".", action, bind);
    }
}

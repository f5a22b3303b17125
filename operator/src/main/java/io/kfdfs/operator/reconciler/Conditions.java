package io.kfdfs.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Status conditions: Ready, Progressing and Degraded, each changed in place. */
final class Conditions {

    static final String READY = "Ready";
    static final String PROGRESSING = "Progressing";
    static final String DEGRADED = "Degraded";

    private Conditions() {
    }

    /** Sets {@code type}; its lastTransitionTime moves only when its status changes. */
    static void set(List<Condition> conditions, String type, boolean status, String reason, String message,
                    Long generation) {
        String value = status ? "True" : "False";
        Condition old = conditions.stream().filter(c -> c.getType().equals(type)).findFirst().orElse(null);
        String since = old != null && value.equals(old.getStatus()) ? old.getLastTransitionTime()
                : Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Condition c = new ConditionBuilder().withType(type).withStatus(value).withReason(reason)
                .withMessage(message == null ? "" : message).withObservedGeneration(generation)
                .withLastTransitionTime(since).build();
        if (old != null) {
            conditions.set(conditions.indexOf(old), c);
        } else {
            conditions.add(c);
        }
    }

    static boolean isTrue(List<Condition> conditions, String type) {
        return conditions.stream().anyMatch(c -> c.getType().equals(type) && "True".equals(c.getStatus()));
    }
}

package io.kfdfs.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.kfdfs.operator.model.Labels;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The informers both reconcilers watch: what they made (by owner reference), and their pods (by label). */
final class EventSources {

    private EventSources() {
    }

    /**
     * The objects of {@code kinds} that {@code component}'s reconciler made (its labels, its owner
     * reference), and the pods of that component, each mapped to the primary named by {@code podLabel}.
     */
    static <P extends HasMetadata> List<EventSource<?, P>> madeAndPods(Class<P> primary, String component, String podLabel,
                                                                    List<Class<? extends HasMetadata>> kinds,
                                                                    EventSourceContext<P> context) {
        List<EventSource<?, P>> sources = new ArrayList<>();
        String mine = Labels.MANAGED_BY + "=" + Labels.OPERATOR + "," + Labels.COMPONENT + "=" + component;
        for (Class<? extends HasMetadata> kind : kinds) {
            sources.add(owned(kind, primary, component, mine, context));
        }
        sources.add(new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, primary)
                .withName(component + "-pods").withLabelSelector(Labels.COMPONENT + "=" + component)
                .withSecondaryToPrimaryMapper(p -> Set.of(new ResourceID(p.getMetadata().getLabels().get(podLabel),
                        p.getMetadata().getNamespace())))
                .build(), context));
        return sources;
    }

    private static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> owned(
            Class<R> kind, Class<P> primary, String component, String selector, EventSourceContext<P> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(kind, primary)
                .withName(component + "-" + kind.getSimpleName()).withLabelSelector(selector)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(primary)).build(), context);
    }
}

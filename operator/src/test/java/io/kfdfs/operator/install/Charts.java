package io.kfdfs.operator.install;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The charts of {@code charts/}, rendered by Helm itself (helm-java: Helm's Go library, no binary). */
final class Charts {

    static final Path OPERATOR = Path.of("..", "charts", "kfdfs-operator");
    static final Path CLUSTER = Path.of("..", "charts", "kfdfs");
    static final String RELEASE = "kfdfs";
    static final String NAMESPACE = "kfdfs-system";

    private Charts() {
    }

    /** {@code helm template kfdfs <chart> -n kfdfs-system [-f values] [--set k=v ...]}, parsed. */
    static List<Manifests.Doc> render(Path chart, Path values, Map<String, Object> set) {
        return Manifests.parse(template(chart, values, set));
    }

    static List<Manifests.Doc> render(Path chart) {
        return render(chart, null, Map.of());
    }

    static String template(Path chart, Path values, Map<String, Object> set) {
        TemplateCommand t = new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE);
        if (values != null) {
            t.withValuesFile(values);
        }
        set.forEach(t::set);
        return t.call();
    }
}

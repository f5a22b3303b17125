package io.kfdfs.operator.install;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** RBAC as "apiGroup resource verb" triples: what rules allow, and what a request to the API server needs. */
final class Permissions {

    /** What one request needs, in {@code namespace} (null: across the cluster). */
    record Needed(String namespace, String permission) {
    }

    private Permissions() {
    }

    static String of(String group, String resource, String verb) {
        return (group.isEmpty() ? "core" : group) + " " + resource + " " + verb;
    }

    static Set<String> of(List<PolicyRule> rules) {
        Set<String> all = new TreeSet<>();
        for (PolicyRule r : rules) {
            for (String group : r.getApiGroups()) {
                for (String resource : r.getResources()) {
                    for (String verb : r.getVerbs()) {
                        all.add(of(group, resource, verb));
                    }
                }
            }
        }
        return all;
    }

    /**
     * What the API server authorizes {@code method path} as, as its request-info resolver does; null for
     * what every authenticated user may do (system:discovery, system:basic-user): discovery and other
     * non-resource URLs, and asking what one may do oneself (JOSDK's SelfSubjectRulesReview before leader
     * election).
     */
    static Needed of(String method, String path) {
        URI uri = URI.create("http://api" + path);
        List<String> s = Arrays.stream(uri.getPath().split("/")).filter(x -> !x.isEmpty()).toList();
        String group;
        List<String> rest;
        if (s.size() > 2 && s.get(0).equals("api")) {
            group = "";
            rest = s.subList(2, s.size());
        } else if (s.size() > 3 && s.get(0).equals("apis")) {
            group = s.get(1);
            rest = s.subList(3, s.size());
        } else {
            return null;
        }
        String namespace = null;
        if (rest.get(0).equals("namespaces") && rest.size() > 2) {
            namespace = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        if (group.equals("authorization.k8s.io") && rest.get(0).startsWith("selfsubject")) {
            return null;
        }
        String resource = rest.get(0) + (rest.size() > 2 ? "/" + rest.get(2) : "");
        boolean named = rest.size() > 1;
        String query = uri.getQuery() == null ? "" : "&" + uri.getQuery() + "&";
        String verb = switch (method) {
            case "GET" -> named ? "get" : query.contains("&watch=true&") || query.contains("&watch=1&") ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> throw new IllegalArgumentException("an HTTP method the API server does not serve: " + method);
        };
        return new Needed(namespace, of(group, resource, verb));
    }
}

{{/* The release's full name: the release name, with the chart's unless it already says it. */}}
{{- define "kfdfs-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* What selects the operator's pods (a Deployment's selector never changes). */}}
{{- define "kfdfs-operator.selector" -}}
app.kubernetes.io/name: kfdfs-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "kfdfs-operator.labels" -}}
{{ include "kfdfs-operator.selector" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: kfdfs
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "kfdfs-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "kfdfs-operator.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* An image of the release: kfdfs-<name> under image.registry at image.tag (default: appVersion). */}}
{{- define "kfdfs-operator.image" -}}
{{- printf "%s/kfdfs-%s:%s" .root.Values.image.registry .name (default .root.Chart.AppVersion .root.Values.image.tag) -}}
{{- end -}}

{{- define "kfdfs-operator.leaderElection" -}}
{{- if eq (toString .Values.leaderElection) "auto" -}}
{{- gt (int .Values.replicas) 1 -}}
{{- else -}}
{{- .Values.leaderElection -}}
{{- end -}}
{{- end -}}

{{/* The namespaces that get a NetworkPolicy. */}}
{{- define "kfdfs-operator.policyNamespaces" -}}
{{- $ns := .Values.networkPolicy.namespaces | default .Values.watch.namespaces | default (list .Release.Namespace) -}}
{{- toJson $ns -}}
{{- end -}}

{{/*
What the operator does in the namespaces it watches: exactly the verbs it was seen using against the
API server (operator/src/test/.../RbacTest records them and compares with these rules).
*/}}
{{- define "kfdfs-operator.rules" -}}
- apiGroups: [kfdfs.io]
  resources: [fdfsclusters]
  verbs: [get, list, watch]
- apiGroups: [kfdfs.io]
  resources: [storagegroups]
  verbs: [get, list, watch, patch]
- apiGroups: [kfdfs.io]
  resources: [fdfsclusters/status, storagegroups/status]
  verbs: [update]
- apiGroups: [""]
  resources: [configmaps, services]
  verbs: [get, list, watch, create, update]
- apiGroups: [""]
  resources: [pods]
  verbs: [list, watch, delete]
- apiGroups: [""]
  resources: [persistentvolumeclaims]
  verbs: [list]
- apiGroups: [""]
  resources: [events]
  verbs: [create]
- apiGroups: [apps]
  resources: [deployments, statefulsets]
  verbs: [get, list, watch, create, update]
- apiGroups: [policy]
  resources: [poddisruptionbudgets]
  verbs: [get, list, watch, create, update, delete]
{{- end -}}

{{/*
What leader election does with its Lease: fabric8 renews it with patch, and JOSDK refuses to start unless
it may also update it (RbacTest records the one and sees the other).
*/}}
{{- define "kfdfs-operator.leaseRules" -}}
- apiGroups: [coordination.k8s.io]
  resources: [leases]
  verbs: [get, create, update, patch]
{{- end -}}

{{/* Chart name, truncated to the 63 characters a label value allows. */}}
{{- define "stager.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Prefix of every resource name. */}}
{{- define "stager.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Job name: the prefix plus a hash of the pod template and the Job's own limits. */}}
{{- define "stager.jobName" -}}
{{- $spec := list (include "stager.podTemplate" .) .Values.job.backoffLimit .Values.job.activeDeadlineSeconds -}}
{{- printf "%s-%s" (include "stager.fullname" . | trunc 54 | trimSuffix "-") (toJson $spec | sha256sum | trunc 8) }}
{{- end }}

{{- define "stager.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "stager.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: ollama-airgap
{{- end }}

{{- define "stager.selectorLabels" -}}
app.kubernetes.io/name: {{ include "stager.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: stager
{{- end }}

{{- define "stager.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "stager.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* registry/repository:tag, registry optional. */}}
{{- define "stager.imageRef" -}}
{{- $image := .image -}}
{{- $tag := default .default $image.tag | toString -}}
{{- if $image.registry }}
{{- printf "%s/%s:%s" (trimSuffix "/" $image.registry) $image.repository $tag }}
{{- else }}
{{- printf "%s:%s" $image.repository $tag }}
{{- end }}
{{- end }}

{{- define "stager.image" -}}
{{- include "stager.imageRef" (dict "image" .Values.image "default" .Chart.AppVersion) }}
{{- end }}

{{- define "stager.ollamaImage" -}}
{{- include "stager.imageRef" (dict "image" .Values.ollama.sidecar.image "default" "latest") }}
{{- end }}

{{/* True (non-empty) when the Job pod runs its own Ollama as a native sidecar. */}}
{{- define "stager.sidecar" -}}
{{- if and (eq .Values.driver "ollama") (not .Values.ollama.externalHost) }}true{{ end }}
{{- end }}

{{/*
The model list as STAGER_MODELS wants it, after checking what would otherwise only fail inside
the pod: an empty list, or a name that cannot survive the comma-separated form.
*/}}
{{- define "stager.modelsCsv" -}}
{{- if not .Values.models }}
{{- fail "models is empty: list at least one model to stage, e.g. --set models={llama3.2:1b}" }}
{{- end }}
{{- range .Values.models }}
{{- if not (regexMatch "^[^,\\s]+$" (toString .)) }}
{{- fail (printf "models: %q is not a model name (no spaces or commas; one name per list entry)" (toString .)) }}
{{- end }}
{{- end }}
{{- join "," .Values.models }}
{{- end }}

{{/* Fails rendering early, with the value to fix, instead of producing a Job that cannot work. */}}
{{/* prune.mode as the stager reads it: YAML turns a bare off/on into a boolean. */}}
{{- define "stager.pruneMode" -}}
{{- $mode := .Values.prune.mode -}}
{{- if kindIs "bool" $mode -}}{{ ternary "on" "off" $mode }}{{- else -}}{{ toString $mode }}{{- end -}}
{{- end }}

{{- define "stager.validate" -}}
{{- if not (has (include "stager.pruneMode" .) (list "off" "dry-run" "on")) }}
{{- fail (printf "prune.mode: %q is not one of \"off\", \"dry-run\", \"on\"" (include "stager.pruneMode" .)) }}
{{- end }}
{{- if not (has .Values.driver (list "ollama" "registry")) }}
{{- fail (printf "driver: %q is not supported; use \"ollama\" or \"registry\"" (toString .Values.driver)) }}
{{- end }}
{{- if not (has .Values.storage.type (list "hostPath" "pvc")) }}
{{- fail (printf "storage.type: %q is not supported; use \"hostPath\" or \"pvc\"" (toString .Values.storage.type)) }}
{{- end }}
{{- if and (eq .Values.storage.type "pvc") (not .Values.storage.pvc.claimName) }}
{{- fail "storage.pvc.claimName is empty: name the existing PersistentVolumeClaim of the NFS export, or use storage.type=hostPath" }}
{{- end }}
{{- if and (eq .Values.storage.type "hostPath") (not .Values.storage.hostPath.path) }}
{{- fail "storage.hostPath.path is empty: give the node path where the NFS export is mounted" }}
{{- end }}
{{- end }}

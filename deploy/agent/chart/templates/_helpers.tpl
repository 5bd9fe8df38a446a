{{/* The release's base name for every object, at most 63 characters. */}}
{{- define "tether-agent.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "tether-agent.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "tether-agent.labels" -}}
{{ include "tether-agent.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "tether-agent.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "tether-agent.fullname" .) -}}
{{- else -}}
{{- .Values.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{/* The Secret that holds the token: the user's own, or the one this chart creates. */}}
{{- define "tether-agent.tokenSecretName" -}}
{{- if .Values.config.existingSecret -}}
{{- .Values.config.existingSecret -}}
{{- else -}}
{{- printf "%s-token" (include "tether-agent.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/* Fails rendering early with a message that says what to set. */}}
{{- define "tether-agent.validate" -}}
{{- if .Values.receptive.enabled -}}
{{- $_ := required "receptive.tlsSecretName is required for a receptive agent: a kubernetes.io/tls Secret with the agent's server certificate" .Values.receptive.tlsSecretName -}}
{{- if not (or .Values.receptive.jwtPublicKey .Values.receptive.clientCaCert) -}}
{{- fail "receptive.jwtPublicKey (from the agent's Receptive tab) or receptive.clientCaCert (mTLS) is required for a receptive agent" -}}
{{- end -}}
{{- else -}}
{{- $_ := required "config.kasAddress is required: the address of Tether's agent server, e.g. --set config.kasAddress=grpcs://tether.example.com:8150" .Values.config.kasAddress -}}
{{- end -}}
{{- if not (or .Values.config.token .Values.config.existingSecret) -}}
{{- fail "config.token or config.existingSecret is required: the agent token shown when the agent was registered (--set config.token=...), or the name of a Secret holding it under the key `token`" -}}
{{- end -}}
{{- end -}}

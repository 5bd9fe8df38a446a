{{/* The release's base name for every object, at most 63 characters (less the longest suffix, "-kas-internal"). */}}
{{- define "tether.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" -}}
{{- else if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Selector labels of one component: include "tether.selectorLabels" (list . "web") */}}
{{- define "tether.selectorLabels" -}}
{{- $ := index . 0 -}}
app.kubernetes.io/name: {{ $.Chart.Name }}
app.kubernetes.io/instance: {{ $.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{- define "tether.labels" -}}
{{- $ := index . 0 -}}
{{ include "tether.selectorLabels" . }}
app.kubernetes.io/part-of: tether
app.kubernetes.io/version: {{ $.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ $.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" $.Chart.Name $.Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "tether.image" -}}
{{- $ := index . 0 -}}
{{- $image := index . 1 -}}
{{- printf "%s:%s" $image.repository ($image.tag | default $.Chart.AppVersion) -}}
{{- end -}}

{{/* The Secret holding the database URL and the shared secrets: the user's own, or the one this chart creates. */}}
{{- define "tether.secretName" -}}
{{- .Values.existingSecret | default (printf "%s-secrets" (include "tether.fullname" .)) -}}
{{- end -}}

{{/* Several kas replicas: Redis registry, peer secret, private addresses. */}}
{{- define "tether.kasMulti" -}}
{{- if gt (int .Values.kas.replicas) 1 -}}true{{- end -}}
{{- end -}}

{{/* The kas TLS Secret: the user's, or the self-signed one this chart generates. */}}
{{- define "tether.kasTlsSecret" -}}
{{- if .Values.kas.tls.secretName -}}
{{- .Values.kas.tls.secretName -}}
{{- else if .Values.kas.tls.selfSigned -}}
{{- printf "%s-kas-tls" (include "tether.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/* host:port a server listens on in its pod: include "tether.listenAddress" (list . 8150); an IPv6 host in brackets. */}}
{{- define "tether.listenAddress" -}}
{{- $host := (index . 0).Values.listenHost -}}
{{- if contains ":" $host -}}
{{- printf "[%s]:%v" $host (index . 1) -}}
{{- else -}}
{{- printf "%s:%v" $host (index . 1) -}}
{{- end -}}
{{- end -}}

{{/* TLS ends in front of kas (an Ingress or a TLS-terminating load balancer): "true" or empty. */}}
{{- define "tether.kasTlsInFront" -}}
{{- if or .Values.kas.ingress.enabled .Values.kas.tls.terminatedInFront -}}true{{- end -}}
{{- end -}}

{{/* The host of kas's Ingress: kas.ingress.host, or the host of publicUrls.kasAgent. */}}
{{- define "tether.kasIngressHost" -}}
{{- .Values.kas.ingress.host | default (include "tether.hostOf" .Values.publicUrls.kasAgent) -}}
{{- end -}}

{{/* Annotations as strings: --set nginx.ingress.kubernetes.io/proxy-read-timeout=3600 gives a number, which the API refuses. */}}
{{- define "tether.annotations" -}}
{{- $out := dict -}}
{{- range $k, $v := . -}}
{{- $_ := set $out $k (toString $v) -}}
{{- end -}}
{{- toYaml $out -}}
{{- end -}}

{{/* The host of a URL, without its port. */}}
{{- define "tether.hostOf" -}}
{{- regexReplaceAll ":[0-9]+$" (urlParse .).host "" -}}
{{- end -}}

{{/* Fails rendering early with a message that says what to set. */}}
{{- define "tether.validate" -}}
{{- $web := required "publicUrls.web is required: Tether's public address, e.g. --set publicUrls.web=https://tether.example.com" .Values.publicUrls.web -}}
{{- if not (regexMatch "^https?://[^/]+/?$" $web) -}}
{{- fail (printf "publicUrls.web must be an http:// or https:// address without a path, e.g. https://tether.example.com (got %q)" $web) -}}
{{- end -}}
{{- $agent := required "publicUrls.kasAgent is required: where agents dial kas, e.g. --set publicUrls.kasAgent=grpcs://kas.example.com:8150" .Values.publicUrls.kasAgent -}}
{{- if not (regexMatch "^grpcs?://[^/]+$" $agent) -}}
{{- fail (printf "publicUrls.kasAgent must be a grpc:// or grpcs:// address, e.g. grpcs://kas.example.com:8150 (got %q)" $agent) -}}
{{- end -}}
{{- if and (hasPrefix "grpcs://" $agent) (not (include "tether.kasTlsSecret" .)) (not (include "tether.kasTlsInFront" .)) -}}
{{- fail "publicUrls.kasAgent is grpcs:// but kas has no certificate: set kas.tls.secretName (a kubernetes.io/tls Secret) or kas.tls.selfSigned=true, or kas.ingress.enabled / kas.tls.terminatedInFront=true when TLS ends in front of kas, or use grpc://" -}}
{{- end -}}
{{- if and (include "tether.kasTlsInFront" .) (not (hasPrefix "grpcs://" $agent)) -}}
{{- fail (printf "publicUrls.kasAgent must be grpcs:// when TLS ends in front of kas (kas.ingress.enabled or kas.tls.terminatedInFront): agents dial it over TLS, e.g. grpcs://kas.example.com:443 (got %q)" $agent) -}}
{{- end -}}
{{- if .Values.kas.ingress.enabled -}}
{{- $kasHost := include "tether.kasIngressHost" . -}}
{{- if ne $kasHost (include "tether.hostOf" $agent) -}}
{{- fail (printf "kas.ingress.host (%s) must be the host of publicUrls.kasAgent (%s): agents dial that host" $kasHost $agent) -}}
{{- end -}}
{{- if and .Values.ingress.enabled (eq $kasHost (.Values.ingress.host | default (include "tether.hostOf" $web))) -}}
{{- fail (printf "kas.ingress.host (%s) must differ from web's Ingress host: both would claim the path / of the same host" $kasHost) -}}
{{- end -}}
{{- end -}}
{{- if not (regexMatch "^([0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9a-fA-F.]*:[0-9a-fA-F:.]*)$" (toString .Values.listenHost)) -}}
{{- fail (printf "listenHost must be an IP address to listen on: \"::\" (every interface, IPv6 and IPv4) or \"0.0.0.0\" (got %q)" (toString .Values.listenHost)) -}}
{{- end -}}
{{- $proxy := required "publicUrls.kasK8sProxy is required: kas's Kubernetes API proxy for kubectl, e.g. --set publicUrls.kasK8sProxy=https://kas.example.com:8154" .Values.publicUrls.kasK8sProxy -}}
{{- if not (regexMatch "^https://[^/]+/?$" $proxy) -}}
{{- fail (printf "publicUrls.kasK8sProxy must be an https:// address (kubectl sends tokens only over HTTPS), e.g. https://kas.example.com:8154 (got %q)" $proxy) -}}
{{- end -}}
{{- if not .Values.existingSecret -}}
{{- $db := required "secrets.databaseUrl is required: the PostgreSQL URL (--set secrets.databaseUrl=postgres://user:password@host:5432/tether), or name a Secret holding it under database-url with existingSecret" .Values.secrets.databaseUrl -}}
{{- if not (regexMatch "^postgres(ql)?://" $db) -}}
{{- fail "secrets.databaseUrl must be a postgres:// or postgresql:// URL: on Kubernetes Tether runs on PostgreSQL" -}}
{{- end -}}
{{- if include "tether.kasMulti" . -}}
{{- $redis := required (printf "secrets.redisUrl is required with kas.replicas=%v: the replicas share their tunnel registry in Redis (--set secrets.redisUrl=redis://redis:6379)" .Values.kas.replicas) .Values.secrets.redisUrl -}}
{{- if not (regexMatch "^rediss?://" $redis) -}}
{{- fail "secrets.redisUrl must be a redis:// or rediss:// URL" -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if lt (int .Values.web.replicas) 1 -}}
{{- fail "web.replicas must be at least 1" -}}
{{- end -}}
{{- if lt (int .Values.kas.replicas) 1 -}}
{{- fail "kas.replicas must be at least 1" -}}
{{- end -}}
{{- end -}}

{{/* The pod and container security settings both servers and the migration Job run with. */}}
{{- define "tether.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "tether.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* An environment variable from a key of the Secret (optional keys may be missing). */}}
{{- define "tether.secretEnv" -}}
{{- $ := index . 0 -}}
- name: {{ index . 1 }}
  valueFrom:
    secretKeyRef:
      name: {{ include "tether.secretName" $ }}
      key: {{ index . 2 }}
      {{- if gt (len .) 3 }}
      optional: {{ index . 3 }}
      {{- end }}
{{- end -}}

{{/* topologySpreadConstraints with the component's pods as the labelSelector unless one is given. */}}
{{- define "tether.spread" -}}
{{- $ := index . 0 -}}
{{- $selector := dict "matchLabels" (include "tether.selectorLabels" (list $ (index . 1)) | fromYaml) -}}
{{- $constraints := list -}}
{{- range index . 2 -}}
{{- $constraints = append $constraints (merge (deepCopy .) (dict "labelSelector" $selector)) -}}
{{- end -}}
{{- toYaml $constraints -}}
{{- end -}}

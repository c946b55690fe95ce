{{/*
The Job's pod template. The Job is named after its hash: a pod template cannot change in place,
so a changed model list, image or setting makes `helm upgrade` create a new Job instead of
failing; finished Jobs go away after ttlSecondsAfterFinished.
*/}}
{{- define "stager.podTemplate" -}}
{{- $sidecar := include "stager.sidecar" . -}}
metadata:
  labels:
    {{- include "stager.selectorLabels" . | nindent 4 }}
    {{- with .Values.job.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    # The model list is also readable from outside the pod (kubectl get pod -o yaml).
    ollama-airgap/models: {{ include "stager.modelsCsv" . | quote }}
    {{- with .Values.job.rerun }}
    ollama-airgap/rerun: {{ . | toString | quote }}
    {{- end }}
    {{- with .Values.job.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  restartPolicy: Never
  serviceAccountName: {{ include "stager.serviceAccountName" . }}
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- range . }}
    - name: {{ . }}
    {{- end }}
  {{- end }}
  {{- with .Values.job.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  securityContext:
    {{- toYaml .Values.podSecurityContext | nindent 4 }}
  {{- if $sidecar }}
  initContainers:
    # Native sidecar (restartPolicy: Always): started before the stager, stopped by the
    # kubelet once the stager exits, so the Job completes.
    - name: ollama
      image: {{ include "stager.ollamaImage" . }}
      imagePullPolicy: {{ .Values.ollama.sidecar.image.pullPolicy }}
      restartPolicy: Always
      args: ["serve"]
      env:
        - name: OLLAMA_HOST
          value: "127.0.0.1:{{ .Values.ollama.sidecar.port }}"
        - name: OLLAMA_MODELS
          value: {{ .Values.storage.mountPath | quote }}
        # Ollama writes its identity key under $HOME/.ollama; the root filesystem is read-only.
        - name: HOME
          value: /home/ollama
        - name: OLLAMA_NOPRUNE
          value: "1"
        {{- with .Values.ollama.sidecar.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      # Ollama listens on loopback only, where kubelet's httpGet cannot reach it: ask the CLI.
      startupProbe:
        exec:
          command: ["/bin/ollama", "list"]
        periodSeconds: 2
        failureThreshold: 60
      securityContext:
        {{- toYaml .Values.securityContext | nindent 8 }}
      resources:
        {{- toYaml .Values.ollama.sidecar.resources | nindent 8 }}
      volumeMounts:
        - name: models
          mountPath: {{ .Values.storage.mountPath }}
          {{- with .Values.storage.subPath }}
          subPath: {{ . }}
          {{- end }}
        - name: ollama-home
          mountPath: /home/ollama
        - name: tmp
          mountPath: /tmp
          subPath: ollama
  {{- end }}
  containers:
    - name: stager
      image: {{ include "stager.image" . }}
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      env:
        - name: STAGER_MODELS
          value: {{ include "stager.modelsCsv" . | quote }}
        - name: STAGER_DRIVER
          value: {{ .Values.driver | quote }}
        - name: OLLAMA_MODELS
          value: {{ .Values.storage.mountPath | quote }}
        {{- if eq .Values.driver "ollama" }}
        - name: OLLAMA_HOST
          value: {{ ternary (printf "http://127.0.0.1:%v" .Values.ollama.sidecar.port) .Values.ollama.externalHost (not (empty $sidecar)) | quote }}
        {{- end }}
        - name: STAGER_INSECURE
          value: {{ .Values.stager.insecure | toString | quote }}
        - name: STAGER_STALL_TIMEOUT
          value: {{ .Values.stager.stallTimeout | quote }}
        - name: STAGER_LINGER
          value: {{ .Values.stager.linger | quote }}
        - name: STAGER_REPORT
          value: {{ .Values.stager.reportPath | quote }}
        - name: STAGER_INVENTORY_CONFIGMAP
          value: {{ .Values.stager.inventoryConfigMap | quote }}
        - name: STAGER_PRUNE
          value: {{ include "stager.pruneMode" . | quote }}
        - name: STAGER_PRUNE_GRACE
          value: {{ .Values.prune.grace | quote }}
        {{- with .Values.prune.scope }}
        - name: STAGER_PRUNE_SCOPE
          value: {{ join "," . | quote }}
        {{- end }}
        - name: POD_NAME
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        - name: POD_NAMESPACE
          valueFrom:
            fieldRef:
              fieldPath: metadata.namespace
        # Events name the pod by uid too, so that `kubectl describe pod` lists them.
        - name: POD_UID
          valueFrom:
            fieldRef:
              fieldPath: metadata.uid
        {{- with .Values.stager.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      ports:
        - name: management
          containerPort: {{ .Values.stager.managementPort }}
          protocol: TCP
      # DOWN when a transfer made no progress for stall-timeout: the kubelet kills the
      # container, the pod fails and the Job retries from where it stopped.
      livenessProbe:
        httpGet:
          path: /q/health/live
          port: management
        periodSeconds: 10
        timeoutSeconds: 3
        failureThreshold: 3
      readinessProbe:
        httpGet:
          path: /q/health/ready
          port: management
        periodSeconds: 10
        timeoutSeconds: 3
      terminationMessagePath: /dev/termination-log
      terminationMessagePolicy: FallbackToLogsOnError
      securityContext:
        {{- toYaml .Values.securityContext | nindent 8 }}
      resources:
        {{- toYaml .Values.stager.resources | nindent 8 }}
      volumeMounts:
        - name: models
          mountPath: {{ .Values.storage.mountPath }}
          {{- with .Values.storage.subPath }}
          subPath: {{ . }}
          {{- end }}
        - name: tmp
          mountPath: /tmp
          subPath: stager
        - name: report
          mountPath: {{ dir .Values.stager.reportPath }}
        {{- with .Values.stager.extraVolumeMounts }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
  volumes:
    - name: models
      {{- if eq .Values.storage.type "pvc" }}
      persistentVolumeClaim:
        claimName: {{ .Values.storage.pvc.claimName }}
      {{- else }}
      hostPath:
        path: {{ .Values.storage.hostPath.path }}
        {{- with .Values.storage.hostPath.type }}
        type: {{ . }}
        {{- end }}
      {{- end }}
    - name: tmp
      emptyDir: {}
    - name: report
      emptyDir:
        sizeLimit: 16Mi
    {{- if $sidecar }}
    - name: ollama-home
      emptyDir:
        sizeLimit: 16Mi
    {{- end }}
    {{- with .Values.stager.extraVolumes }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with .Values.job.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.job.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.job.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}

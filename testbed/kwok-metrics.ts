// What kwok emulates of a kubelet's resource metrics (/metrics/resource, which metrics-server scrapes):
// kwok v0.8.0's own kustomize/metrics/resource/metrics-resource.yaml (a Metric) and
// kustomize/metrics/usage/usage-from-annotation.yaml (a ClusterResourceUsage), as kwok config documents.
// A pod's usage is what its annotations kwok.x-k8s.io/usage-cpu and -memory say (default 1m and 1Mi);
// a node's is the sum of its pods'.

const labels = (...names: ("container" | "namespace" | "pod")[]) =>
  names.map((name) => ({
    name,
    value: name === "container" ? "container.name" : name === "pod" ? "pod.metadata.name" : "pod.metadata.namespace",
  }));

const metric = {
  apiVersion: "kwok.x-k8s.io/v1alpha1",
  kind: "Metric",
  metadata: { name: "metrics-resource" },
  spec: {
    path: "/metrics/nodes/{nodeName}/metrics/resource",
    metrics: [
      {
        name: "scrape_error",
        dimension: "node",
        help: "[ALPHA] 1 if there was an error while getting metrics from the node, 0 otherwise",
        kind: "gauge",
        value: "0",
      },
      {
        name: "container_start_time_seconds",
        dimension: "container",
        help: "[ALPHA] Start time of the container since unix epoch in seconds",
        kind: "gauge",
        labels: labels("container", "namespace", "pod"),
        value: "pod.SinceSecond()",
      },
      {
        name: "container_cpu_usage_seconds_total",
        dimension: "container",
        help: "[ALPHA] Cumulative cpu time consumed by the container in core-seconds",
        kind: "counter",
        labels: labels("container", "namespace", "pod"),
        value: 'pod.CumulativeUsage("cpu", container.name)',
      },
      {
        name: "container_memory_working_set_bytes",
        dimension: "container",
        help: "[ALPHA] Current working set of the container in bytes",
        kind: "gauge",
        labels: labels("container", "namespace", "pod"),
        value: 'pod.Usage("memory", container.name)',
      },
      {
        name: "pod_cpu_usage_seconds_total",
        dimension: "pod",
        help: "[ALPHA] Cumulative cpu time consumed by the pod in core-seconds",
        kind: "counter",
        labels: labels("namespace", "pod"),
        value: 'pod.CumulativeUsage("cpu")',
      },
      {
        name: "pod_memory_working_set_bytes",
        dimension: "pod",
        help: "[ALPHA] Current working set of the pod in bytes",
        kind: "gauge",
        labels: labels("namespace", "pod"),
        value: 'pod.Usage("memory")',
      },
      {
        name: "node_cpu_usage_seconds_total",
        dimension: "node",
        help: "[ALPHA] Cumulative cpu time consumed by the node in core-seconds",
        kind: "counter",
        value: 'node.CumulativeUsage("cpu")',
      },
      {
        name: "node_memory_working_set_bytes",
        dimension: "node",
        help: "[ALPHA] Current working set of the node in bytes",
        kind: "gauge",
        value: 'node.Usage("memory")',
      },
    ],
  },
};

const fromAnnotation = (resource: "cpu" | "memory", fallback: string) => ({
  expression: `"kwok.x-k8s.io/usage-${resource}" in pod.metadata.annotations ? Quantity(pod.metadata.annotations["kwok.x-k8s.io/usage-${resource}"]) : Quantity("${fallback}")`,
});

const usage = {
  apiVersion: "kwok.x-k8s.io/v1alpha1",
  kind: "ClusterResourceUsage",
  metadata: { name: "usage-from-annotation" },
  spec: { usages: [{ usage: { cpu: fromAnnotation("cpu", "1m"), memory: fromAnnotation("memory", "1Mi") } }] },
};

/** The kwok config documents (Metric, ClusterResourceUsage) of the testbed's emulated resource metrics. */
export const KWOK_METRICS_DOCS: readonly unknown[] = [metric, usage];

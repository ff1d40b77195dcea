// Pins the prometheus-operator release whose CRDs (ServiceMonitor, PodMonitor, PrometheusRule) the chart tests
// install, so the API server validates the chart's monitoring objects (hack/prometheus-operator/crds.sh).
// Only the module's files are used, nothing is built: do not `go mod tidy` (it would drop the requirement).
module steward.dev/hack/prometheus-operator

go 1.26.0

require github.com/prometheus-operator/prometheus-operator v0.85.0

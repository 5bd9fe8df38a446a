//go:build tools

// Package tools pins Flux's helm-controller command so `go mod tidy` keeps its dependencies.
package tools

import _ "github.com/fluxcd/helm-controller"

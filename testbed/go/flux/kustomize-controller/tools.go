//go:build tools

// Package tools pins Flux's kustomize-controller command so `go mod tidy` keeps its dependencies.
package tools

import _ "github.com/fluxcd/kustomize-controller"

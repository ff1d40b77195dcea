// The pod sandbox ("pause") container: it holds a Pod's namespaces open while the Pod's
// containers come and go. Kubernetes ships a C program for this as registry.k8s.io/pause; the
// e2e node has no registry, so hack/node/ensure.sh builds this equivalent into a one-file image.
// As PID 1 of the sandbox it reaps orphans and exits on SIGINT/SIGTERM, like the original.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for sig := range signals {
		if sig != syscall.SIGCHLD {
			os.Exit(0)
		}
		// Reap every exited child; -1 means any child, WNOHANG stops when none is left.
		for {
			pid, err := syscall.Wait4(-1, nil, syscall.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
	}
}

package main

import (
	"fmt"
	"io"
	"runtime/debug"

	"github.com/piaflow/piaflow/policies"
)

// moduleVersion is the version of the piaflow module this binary was built from: the tag for
// `go install ...@vX`, "(devel)" for a build from a clone, with the VCS revision when known.
func moduleVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " " + s.Value[:12]
		}
		if s.Key == "vcs.modified" && s.Value == "true" {
			v += "+dirty"
		}
	}
	return v
}

// cmdVersion prints the module version and the embedded policy library's version and digest.
func cmdVersion(args []string, stdout io.Writer) error {
	if len(args) > 0 {
		return usagef("version takes no arguments")
	}
	e, err := policies.Default()
	if err != nil {
		return fmt.Errorf("load policies: %w", err)
	}
	fmt.Fprintf(stdout, "piaflow %s\npolicies %s (%s)\n", moduleVersion(), e.Version(), e.Digest())
	return nil
}

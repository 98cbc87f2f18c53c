package policies

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
)

// Build identifies the Go code that turns a questionnaire and a policy bundle into a result:
// the SHA-256 (hex, 16 characters) of piaflow's module version, its VCS revision and whether the
// work tree was modified, every dependency's version (OPA's among them) and the Go version, as
// the binary records them. A result is reused or carried over only by the build that made it
// (assessment records keep it): the policies' digest covers the policy files, not the parser,
// the result's decoding or the indexes built in Go at load. Two builds of one modified work tree
// at the same revision share it.
func Build() string { return build() }

var build = sync.OnceValue(func() string {
	h := sha256.New()
	fmt.Fprintf(h, "go\x00%s\x00", runtime.Version())
	if bi, ok := debug.ReadBuildInfo(); ok {
		fmt.Fprintf(h, "main\x00%s\x00%s\x00", bi.Main.Path, bi.Main.Version)
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" || s.Key == "vcs.modified" {
				fmt.Fprintf(h, "%s\x00%s\x00", s.Key, s.Value)
			}
		}
		for _, d := range bi.Deps {
			fmt.Fprintf(h, "dep\x00%s\x00%s\x00%s\x00", d.Path, d.Version, d.Sum)
			if d.Replace != nil {
				fmt.Fprintf(h, "replace\x00%s\x00%s\x00", d.Replace.Path, d.Replace.Version)
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
})

package policies

import "embed"

// bundleFS holds the policy library: Rego modules (tests included; they are filtered out of the
// production bundle) and the data they read.
//
//go:embed rego data
var bundleFS embed.FS

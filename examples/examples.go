// Package examples embeds the example questionnaires, so the binary can load them as demo data
// (`piaflow serve --demo`) and tests can read them.
package examples

import "embed"

// FS holds the example questionnaires (*.yaml).
//
//go:embed *.yaml
var FS embed.FS

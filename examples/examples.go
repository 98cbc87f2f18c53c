// Package examples embeds the example questionnaires, so the binary can load them as demo data
// (`piaflow serve --demo`) and tests can read them.
package examples

import "embed"

// FS holds the example questionnaires (*.yaml) and the example product, its processor register
// and deployment specs (products/).
//
//go:embed *.yaml products/*.yaml products/deployments/*.yaml
var FS embed.FS

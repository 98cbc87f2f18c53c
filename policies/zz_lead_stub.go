package policies

// Stand-ins for the helpers' API (branches fingerprint and datecarry); removed at merge.

// Fingerprint describes a policy bundle in parts.
type Fingerprint struct {
	Digest        string                       `json:"digest"`
	Core          string                       `json:"core"`
	Jurisdictions map[string]JurisdictionPrint `json:"jurisdictions"`
}

// JurisdictionPrint is one jurisdiction document's digest and the countries it names.
type JurisdictionPrint struct {
	Digest    string   `json:"digest"`
	Countries []string `json:"countries"`
}

// Fingerprint is the engine's bundle in parts.
func (e *Engine) Fingerprint() Fingerprint {
	return Fingerprint{Digest: e.digest, Core: "core", Jurisdictions: map[string]JurisdictionPrint{"xx": {Digest: "d", Countries: []string{"ZZ"}}}}
}

// Affects reports whether the change can reach the countries.
func Affects(from, to Fingerprint, countries []string) (bool, string) {
	if from.Digest == to.Digest {
		return false, ""
	}
	if from.Core != to.Core {
		return true, "core"
	}
	return false, ""
}


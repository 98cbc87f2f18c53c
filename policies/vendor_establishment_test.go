package policies

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestVendorEstablishmentForms(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		applies bool
		out     string
		err     string
	}{
		{name: "bare true", in: `true`, applies: true, out: `true`},
		{name: "bare false", in: `false`, applies: false, out: `false`},
		{name: "object", in: `{"reach":"firm","why":"w","citation":{"ref":"r","url":"https://x"},"duties":[{"text":"t","citation":{"ref":"r","url":"https://x"}}]}`, applies: true,
			out: `{"reach":"firm","why":"w","citation":{"ref":"r","url":"https://x"},"duties":[{"text":"t","citation":{"ref":"r","url":"https://x"}}]}`},
		{name: "unknown field", in: `{"reach":"firm","bogus":1}`, err: "unknown field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v VendorEstablishment
			err := json.Unmarshal([]byte(tt.in), &v)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if v.Applies() != tt.applies {
				t.Errorf("Applies() = %v", v.Applies())
			}
			b, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.out {
				t.Errorf("marshal = %s, want %s", b, tt.out)
			}
		})
	}
}

func TestVendorEstablishmentValidated(t *testing.T) {
	j := Jurisdiction{}
	j.Scope.VendorEstablishment = &VendorEstablishment{Reach: "maybe"}
	got := strings.Join(j.Validate(), "; ")
	for _, want := range []string{"scope.vendor_establishment.reach", "scope.vendor_establishment.why", "scope.vendor_establishment.duties"} {
		if !strings.Contains(got, want) {
			t.Errorf("Validate() = %s, missing %s", got, want)
		}
	}
}

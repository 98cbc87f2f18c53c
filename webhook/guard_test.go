package webhook_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/webhook"
)

// TestGuardRefuses: loopback, link-local (cloud metadata), unspecified and this server's own
// address are refused without allow_private, allowed with it; other addresses pass.
func TestGuardRefuses(t *testing.T) {
	g := webhook.Guard{Self: []string{"10.0.0.5:8080", "[2001:db8::5]:8443"}}
	tests := []struct {
		name, url string
		refused   bool
	}{
		{"ErrLoopback", "http://127.0.0.1:8080/hook", true},
		{"ErrLoopbackOther", "https://127.1.2.3/hook", true},
		{"ErrLoopbackV6", "http://[::1]:9000/", true},
		{"ErrLocalhost", "http://localhost/hook", true},
		{"ErrMetadata", "http://169.254.169.254/latest/meta-data/", true},
		{"ErrLinkLocal", "http://169.254.10.1/", true},
		{"ErrAlibabaMetadata", "http://100.100.100.200/latest/meta-data/", true},
		{"ErrAWSMetadataV6", "http://[fd00:ec2::254]/latest/meta-data/", true},
		{"CarrierGradeNAT", "http://100.64.1.1/hook", false},
		{"ErrLinkLocalV6", "http://[fe80::1]/", true},
		{"ErrMappedMetadata", "http://[::ffff:169.254.169.254]/", true},
		{"ErrUnspecified", "http://0.0.0.0:8080/", true},
		{"ErrUnspecifiedV6", "http://[::]/", true},
		{"ErrSelf", "http://10.0.0.5:8080/api/v1/webhooks", true},
		{"ErrSelfV6", "https://[2001:db8::5]:8443/", true},
		{"ErrScheme", "ftp://203.0.113.10/", true},
		{"SelfOtherPort", "http://10.0.0.5:9090/hook", false},
		{"Private", "http://192.168.1.20/hook", false},
		{"Public", "https://203.0.113.10/hook", false},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := g.CheckURL(ctx, tt.url, false)
			if tt.refused != (err != nil) {
				t.Fatalf("CheckURL(%s) = %v, refused want %v", tt.url, err, tt.refused)
			}
			if err != nil && !errors.Is(err, piaflow.ErrInvalid) {
				t.Errorf("error kind: %v", err)
			}
			if tt.name != "ErrScheme" {
				if err := g.CheckURL(ctx, tt.url, true); err != nil {
					t.Errorf("allow_private: %v", err)
				}
			}
		})
	}
}

func TestSignKnownAnswer(t *testing.T) {
	const knownHMAC = "38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789"
	// echo -n '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
	got := webhook.Sign("whsec_test", 1700000000, []byte(`{"a":1}`))
	want := "v1=" + knownHMAC
	if got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
	if err := webhook.Verify("whsec_test", "1700000000", "v0=x "+got, []byte(`{"a":1}`), time.Unix(1700000100, 0), 5*time.Minute); err != nil {
		t.Errorf("verify with two signatures: %v", err)
	}
}

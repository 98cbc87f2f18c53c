// Package webhook delivers webhook events over HTTP: it signs each body with its webhook's
// secret (Sign, Verify), refuses addresses a webhook must not reach (Guard: at registration and
// again at every connection), and runs the delivery worker over the store's durable queue
// (Worker). docs/webhooks.md describes the scheme for receivers.
package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Headers of a delivery.
const (
	HeaderID        = "Webhook-Id"
	HeaderTimestamp = "Webhook-Timestamp"
	HeaderSignature = "Webhook-Signature"
	HeaderEvent     = "Webhook-Event"
)

// NewSecret returns a new webhook secret: "whsec_" and 64 hex digits (32 random bytes).
func NewSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("webhook secret: %w", err)
	}
	return "whsec_" + hex.EncodeToString(b), nil
}

// Sign returns the Webhook-Signature of body sent at ts (Unix seconds) with secret:
// "v1=" and the hex HMAC-SHA256, keyed with the secret, of the timestamp, ".", and the body.
func Sign(secret string, ts int64, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strconv.FormatInt(ts, 10)))
	m.Write([]byte("."))
	m.Write(body)
	return "v1=" + hex.EncodeToString(m.Sum(nil))
}

// Verify checks a delivery as a receiver would: the signature header (one or more
// space-separated "v1=<hex>") matches the body and timestamp header, and the timestamp lies
// within tolerance of now (replays of old deliveries are refused).
func Verify(secret, timestamp, signature string, body []byte, now time.Time, tolerance time.Duration) error {
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("verify webhook: timestamp %q is not Unix seconds", timestamp)
	}
	if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("verify webhook: timestamp %d is %s away from now", ts, d)
	}
	want := Sign(secret, ts, body)
	for _, s := range strings.Fields(signature) {
		if hmac.Equal([]byte(s), []byte(want)) {
			return nil
		}
	}
	return fmt.Errorf("verify webhook: no signature matches")
}

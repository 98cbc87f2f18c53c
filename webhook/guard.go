package webhook

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"syscall"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
)

// Guard decides which addresses a webhook may reach: not loopback, link-local (169.254.0.0/16
// with the cloud metadata address 169.254.169.254, fe80::/10), the cloud metadata addresses
// outside it (100.100.100.200, fd00:ec2::254), unspecified, multicast, nor this server's own
// listen address, unless the webhook allows private addresses (an admin's
// explicit opt-in). Private networks (10.0.0.0/8, ...) are allowed: that is where a company's
// own systems live. The zero Guard knows no own address.
type Guard struct {
	// Self lists the server's listen addresses (host:port; an empty or unspecified host means
	// every local interface).
	Self []string
	// Resolver looks host names up (nil: net.DefaultResolver).
	Resolver *net.Resolver
}

// CheckURL checks a webhook URL before it is registered: an http or https URL whose host
// resolves only to addresses the guard allows. Errors: ErrInvalid (field "url").
func (g Guard) CheckURL(ctx context.Context, raw string, allowPrivate bool) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return invalidURL("url.absolute")
	}
	if allowPrivate {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, piaflow.WebhookDeliveryTimeout)
	defer cancel()
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	p, _ := strconv.Atoi(port)
	var addrs []netip.Addr
	if a, err := netip.ParseAddr(u.Hostname()); err == nil {
		addrs = []netip.Addr{a}
	} else {
		r := g.Resolver
		if r == nil {
			r = net.DefaultResolver
		}
		ips, err := r.LookupNetIP(ctx, "ip", u.Hostname())
		if err != nil {
			return invalidURL("url.unresolved", "host", u.Hostname(), "error", err.Error())
		}
		addrs = ips
	}
	for _, a := range addrs {
		if why := g.refused(a, p); why != "" {
			return invalidURL("url.refused."+why, "host", u.Hostname(), "addr", a.String())
		}
	}
	return nil
}

// invalidURL is the problem of field url: the validation message code with its arguments as
// name, value pairs.
func invalidURL(code string, args ...string) error {
	return piaflow.Invalid(assessments.FieldProblem("url", piaflow.ProblemUnknown, code, args...))
}

// refused says why address a, port p is refused (the suffix of a url.refused.<why> message), or "".
func (g Guard) refused(a netip.Addr, p int) string {
	a = a.Unmap()
	switch {
	case cloudMetadata(a):
		return "metadata"
	case a.IsLoopback():
		return "loopback"
	case a.IsLinkLocalUnicast(), a.IsLinkLocalMulticast():
		return "link_local"
	case a.IsUnspecified(), a.Is4() && a.As4()[0] == 0:
		return "unspecified"
	case a.IsMulticast(), a.IsInterfaceLocalMulticast():
		return "multicast"
	}
	for _, self := range g.Self {
		host, port, err := net.SplitHostPort(self)
		if err != nil || port != strconv.Itoa(p) {
			continue
		}
		if h, err := netip.ParseAddr(host); err == nil && !h.IsUnspecified() {
			if h.Unmap() == a {
				return "self"
			}
			continue
		}
		if localAddr(a) {
			return "self"
		}
	}
	return ""
}

// cloudMetadata reports whether a is a cloud provider's instance metadata address outside the
// link-local range: Alibaba Cloud's 100.100.100.200 and AWS's IPv6 fd00:ec2::254 (the others —
// AWS, Azure, Google Cloud, Huawei Cloud, Oracle at 169.254.169.254, Tencent Cloud at
// 169.254.0.23 — are link-local).
func cloudMetadata(a netip.Addr) bool {
	return a == netip.MustParseAddr("100.100.100.200") || a == netip.MustParseAddr("fd00:ec2::254")
}

// localAddr reports whether a is an address of one of this machine's interfaces.
func localAddr(a netip.Addr) bool {
	ifaddrs, err := net.InterfaceAddrs()
	if err != nil {
		return false
	}
	for _, ia := range ifaddrs {
		if n, ok := ia.(*net.IPNet); ok {
			if b, ok := netip.AddrFromSlice(n.IP); ok && b.Unmap() == a {
				return true
			}
		}
	}
	return false
}

// control is a net.Dialer Control that refuses a connection to an address the guard refuses:
// the check at delivery time, on the address actually connected to (DNS may answer otherwise
// than at registration).
func (g Guard) control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("webhook guard: address %q: %w", address, err)
	}
	if why := g.refused(ap.Addr(), int(ap.Port())); why != "" {
		return fmt.Errorf("webhook guard: %s is %s: refused (allow_private is not set)", ap.Addr(), why)
	}
	return nil
}

package domain

import (
	"errors"
	"maps"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func init() { maps.Copy(goldens, webhookEndpointGoldens) }

// webhookEndpointGoldens is one realistic value per webhook endpoint event type (see goldens).
var webhookEndpointGoldens = map[string]Event{
	"WebhookEndpointCreated.v1": WebhookEndpointCreated{EndpointID: "we_1", URL: "https://hooks.example.com/stateset",
		Events: []string{"order.*", "customer.updated"}, Description: "ERP", Secret: "whsec_0123456789abcdef"},
	"WebhookEndpointUpdated.v1": WebhookEndpointUpdated{EndpointID: "we_1", URL: &Change{From: "https://a.example.com", To: "https://b.example.com"},
		Events: &IDsChange{From: []string{"order.*"}, To: []string{"*"}}},
	"WebhookEndpointSecretRotated.v1":   WebhookEndpointSecretRotated{EndpointID: "we_1", Secret: "whsec_fedcba9876543210"},
	"WebhookEndpointDisabled.v1":        WebhookEndpointDisabled{EndpointID: "we_1", Reason: "5 deliveries failed in a row"},
	"WebhookEndpointEnabled.v1":         WebhookEndpointEnabled{EndpointID: "we_1"},
	"WebhookEndpointDeleted.v1":         WebhookEndpointDeleted{EndpointID: "we_1"},
	"WebhookEndpointFailureCounted.v1":  WebhookEndpointFailureCounted{EndpointID: "we_1", DeliveryID: "whd_1", ConsecutiveFailures: 2},
	"WebhookEndpointFailuresCleared.v1": WebhookEndpointFailuresCleared{EndpointID: "we_1", DeliveryID: "whd_2"},
}

func TestWebhookPatterns(t *testing.T) {
	for _, c := range []struct {
		pattern, name string
		want          bool
	}{
		{"*", "order.created", true},
		{"order.*", "order.created", true},
		{"order.*", "order_line.created", false},
		{"customer.updated", "customer.updated", true},
		{"customer.updated", "customer.created", false},
	} {
		if got := WebhookPatternMatches(c.pattern, c.name); got != c.want {
			t.Errorf("%q matches %q: got %v, want %v", c.pattern, c.name, got, c.want)
		}
	}
}

func TestWebhookURLs(t *testing.T) {
	for _, c := range []struct {
		url          string
		allowPrivate bool
		ok           bool
	}{
		{"https://hooks.example.com/x", false, true},
		{"ftp://hooks.example.com/x", false, false},
		{"http://127.0.0.1:8080/x", false, false},
		{"http://127.0.0.1:8080/x", true, true},
		{"http://10.1.2.3/x", false, false},
		{"http://169.254.169.254/latest", false, false},
		{"http://[::1]/x", false, false},
		{"http://localhost/x", false, false},
		{"https://user:pw@hooks.example.com/x", false, false},
		{"/relative", false, false},
	} {
		var v Validation
		CheckWebhookURL(&v, "url", c.url, c.allowPrivate)
		if got := v.Err() == nil; got != c.ok {
			t.Errorf("%s (allow private %v): ok %v, want %v", c.url, c.allowPrivate, got, c.ok)
		}
	}
}

// TestWebhookURLHostsAreNormalised: a host is read as URL parsers and resolvers read it
// (IDNA, the numeric IPv4 forms inet_aton takes, IPv4 inside IPv6), so no spelling of an
// address that is not public gets past create, and a port is 1 to 65535.
func TestWebhookURLHostsAreNormalised(t *testing.T) {
	private := []FieldError{{"url", "must not point to a private, loopback or link-local address"}}
	badHost := []FieldError{{"url", "must have a valid host name or IP address"}}
	badPort := []FieldError{{"url", "must have a port from 1 to 65535"}}
	for _, c := range []struct {
		name, url    string
		allowPrivate bool
		want         []FieldError
	}{
		{"IPv4-translated IPv6 loopback is refused", "http://[::ffff:0:127.0.0.1]/", false, private},
		{"IPv4-compatible IPv6 loopback is refused", "http://[::127.0.0.1]/", false, private},
		{"IPv4-compatible IPv6 of a public address is refused", "http://[::8.8.8.8]/", false, private},
		{"IPv4-mapped IPv6 loopback is refused", "http://[::ffff:127.0.0.1]/", false, private},
		{"NAT64 of loopback is refused", "http://[64:ff9b::127.0.0.1]/", false, private},
		{"a zoned IPv6 address is refused", "http://[fe80::1%25eth0]/", false, private},
		{"ideographic dots are read as dots", "http://127。0。0。1/", false, private},
		{"full-width dots are read as dots", "http://127．0．0．1/", false, private},
		{"circled digits are read as digits", "http://①②⑦.0.0.1/", false, private},
		{"one decimal number is an IPv4 address", "http://2130706433/", false, private},
		{"one hex number is an IPv4 address", "http://0x7f000001/", false, private},
		{"upper-case hex is an IPv4 address", "http://0X7F000001/", false, private},
		{"two parts are an IPv4 address", "http://127.1/", false, private},
		{"three parts are an IPv4 address", "http://10.1.1/", false, private},
		{"a leading zero is octal", "http://0177.0.0.1/", false, private},
		{"a trailing dot changes nothing", "http://127.0.0.1./", false, private},
		{"a bare 0x is zero", "http://0x/", false, private},
		{"full-width localhost is localhost", "http://ｌｏｃａｌｈｏｓｔ/", false, private},
		{"a name under localhost is refused", "http://app.localhost/", false, private},
		{"an absolute localhost is refused", "http://localhost./", false, private},
		{"a port above 65535 is refused", "https://example.com:99999/", false, badPort},
		{"port 0 is refused", "https://example.com:0/", false, badPort},
		{"a bad port is refused even with private targets allowed", "http://127.0.0.1:99999/", true, badPort},
		{"five numeric parts are no host", "http://1.2.3.4.5/", false, badHost},
		{"an octal part with an 8 is no host", "http://08.0.0.1/", false, badHost},
		{"an IPv4 part above 255 is no host", "http://256.0.0.1/", false, badHost},
		{"a last part too wide is no host", "http://1.2.65536/", false, badHost},
		{"a name IDNA refuses is no host", "http://⑴.example/", false, badHost},
		{"a public hex address is accepted", "http://0x5db8d822/", false, nil},
		{"a plain name is accepted", "https://example.com/hook", false, nil},
		{"a name with a port is accepted", "https://example.com:8443/x", false, nil},
		{"an internationalised name is accepted", "https://bücher.example/", false, nil},
		{"a public IPv6 address is accepted", "https://[2606:2800:220:1:248:1893:25c8:1946]/", false, nil},
		{"an IPv4-mapped public address is accepted", "https://[::ffff:93.184.216.34]/", false, nil},
		{"any spelling of loopback is accepted with private targets allowed", "http://0x7f000001:8080/", true, nil},
		{"IPv4-compatible loopback is accepted with private targets allowed", "http://[::127.0.0.1]/", true, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			var v Validation
			CheckWebhookURL(&v, "url", c.url, c.allowPrivate)
			var got []FieldError
			if ve, ok := errors.AsType[*ValidationError](v.Err()); ok {
				got = ve.Fields
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("%s (allow private %v) (-want +got):\n%s", c.url, c.allowPrivate, diff)
			}
		})
	}
}

// TestWebhookTargetReadsHostsAsResolversDo: what WebhookTarget makes of a host, private
// targets allowed so the normalised form shows.
func TestWebhookTargetReadsHostsAsResolversDo(t *testing.T) {
	for _, c := range []struct {
		host, addr, name string
	}{
		{"127。0。0。1", "127.0.0.1", ""},
		{"①②⑦.0.0.1", "127.0.0.1", ""},
		{"2130706433", "127.0.0.1", ""},
		{"0x7f000001", "127.0.0.1", ""},
		{"127.1", "127.0.0.1", ""},
		{"0177.0.0.1", "127.0.0.1", ""},
		{"192.168.257", "192.168.1.1", ""},
		{"::127.0.0.1", "::7f00:1", ""},
		{"bücher.example", "", "xn--bcher-kva.example"},
		{"Hooks.Example.COM", "", "hooks.example.com"},
	} {
		t.Run(c.host, func(t *testing.T) {
			ip, name, err := WebhookTarget(c.host, true)
			if err != nil {
				t.Fatal(err)
			}
			got, want := [2]string{"", name}, [2]string{c.addr, c.name}
			if ip.IsValid() {
				got[0] = ip.String()
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestWebhookDialRefusesNonPublicAddresses: the dialler's guard, given the address DNS
// answered as net.Dialer.Control sees it, refuses what create refuses.
func TestWebhookDialRefusesNonPublicAddresses(t *testing.T) {
	for _, c := range []struct {
		address      string
		allowPrivate bool
		want         error
	}{
		{"[::7f00:1]:443", false, ErrWebhookPrivate}, // ::127.0.0.1, IPv4-compatible
		{"[::ffff:0:7f00:1]:443", false, ErrWebhookPrivate},
		{"[::ffff:127.0.0.1]:80", false, ErrWebhookPrivate},
		{"[64:ff9b::a00:1]:80", false, ErrWebhookPrivate},
		{"[fe80::1%eth0]:80", false, ErrWebhookPrivate},
		{"127.0.0.1:8080", false, ErrWebhookPrivate},
		{"169.254.169.254:80", false, ErrWebhookPrivate},
		{"example.com:443", false, ErrWebhookHost}, // the dialler is handed addresses only
		{"93.184.216.34:443", false, nil},
		{"[2606:2800:220:1:248:1893:25c8:1946]:443", false, nil},
		{"127.0.0.1:8080", true, nil},
		{"[::7f00:1]:443", true, nil},
	} {
		if got := CheckWebhookDial(c.address, c.allowPrivate); !errors.Is(got, c.want) {
			t.Errorf("CheckWebhookDial(%s, allow private %v) = %v, want %v", c.address, c.allowPrivate, got, c.want)
		}
	}
}

func TestPublicAddr(t *testing.T) {
	for addr, public := range map[string]bool{
		"93.184.216.34": true, "2606:2800:220:1:248:1893:25c8:1946": true,
		"127.0.0.1": false, "::1": false, "::ffff:127.0.0.1": false, "10.1.2.3": false, "192.168.0.1": false,
		"172.16.0.1": false, "169.254.169.254": false, "fe80::1": false, "fc00::1": false, "0.0.0.0": false,
		"100.64.0.1": false, "198.18.0.1": false, "192.0.0.8": false, "240.0.0.1": false,
		"64:ff9b::7f00:1": false, "2002:7f00:1::": false, "2001:0:4136:e378::1": false,
		"::7f00:1": false, "::808:808": false, "::ffff:0:7f00:1": false, "64:ff9b:1::a00:1": false, "100::1": false,
	} {
		if got := PublicAddr(netip.MustParseAddr(addr)); got != public {
			t.Errorf("PublicAddr(%s) = %v, want %v", addr, got, public)
		}
	}
}

package domain

import (
	"errors"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/idna"
)

// Webhooks: endpoints subscribe to events by dotted name ("order.*", "customer.updated",
// "*"); every matching event becomes a delivery, tried on a persistent schedule. The
// endpoint counts deliveries that failed in a row and is disabled at a threshold.

// WebhookEndpointStatus is whether an endpoint receives deliveries.
type WebhookEndpointStatus string

const (
	WebhookEndpointStatusEnabled  WebhookEndpointStatus = "ENABLED"
	WebhookEndpointStatusDisabled WebhookEndpointStatus = "DISABLED"
)

// WebhookEndpointStatuses lists every status.
var WebhookEndpointStatuses = []WebhookEndpointStatus{WebhookEndpointStatusEnabled, WebhookEndpointStatusDisabled}

var webhookEndpointFlow = Flow[WebhookEndpointStatus]{Entity: "webhook endpoint", Steps: []Step[WebhookEndpointStatus]{
	{WebhookEndpointStatusEnabled, "update", WebhookEndpointStatusEnabled},
	{WebhookEndpointStatusDisabled, "update", WebhookEndpointStatusDisabled},
	{WebhookEndpointStatusEnabled, "rotate_secret", WebhookEndpointStatusEnabled},
	{WebhookEndpointStatusDisabled, "rotate_secret", WebhookEndpointStatusDisabled},
	{WebhookEndpointStatusEnabled, "disable", WebhookEndpointStatusDisabled},
	{WebhookEndpointStatusDisabled, "enable", WebhookEndpointStatusEnabled},
}}

// WebhookEndpoint is a subscriber URL. Its secret signs deliveries: it is kept in the
// endpoint's events (the dispatcher needs it) and never answered after create or rotation.
type WebhookEndpoint struct {
	ID                  string                `json:"id"`
	URL                 string                `json:"url"`
	Events              []string              `json:"events"`
	Description         string                `json:"description,omitempty"`
	Status              WebhookEndpointStatus `json:"status"`
	Secret              string                `json:"secret,omitempty"`
	ConsecutiveFailures int                   `json:"consecutive_failures"`
	DisabledReason      string                `json:"disabled_reason,omitempty"`
	Deleted             bool                  `json:"deleted,omitempty"`
	CreatedAt           time.Time             `json:"created_at"`
	UpdatedAt           time.Time             `json:"updated_at"`
	Version             int64                 `json:"version"`
}

// Exists reports whether the endpoint has been created and not deleted.
func (w *WebhookEndpoint) Exists() bool { return w.Version > 0 && !w.Deleted }

// CurrentVersion is the endpoint's event count.
func (w *WebhookEndpoint) CurrentVersion() int64 { return w.Version }

// Clone returns a deep copy.
func (w *WebhookEndpoint) Clone() *WebhookEndpoint {
	cp := *w
	cp.Events = slices.Clone(w.Events)
	return &cp
}

// Matches reports whether the endpoint subscribes to the dotted event name.
func (w *WebhookEndpoint) Matches(dotted string) bool {
	for _, p := range w.Events {
		if WebhookPatternMatches(p, dotted) {
			return true
		}
	}
	return false
}

// WebhookPatternMatches: "*" matches every name, "order.*" every name starting "order.",
// anything else only itself.
func WebhookPatternMatches(pattern, dotted string) bool {
	switch {
	case pattern == "*":
		return true
	case strings.HasSuffix(pattern, ".*"):
		return strings.HasPrefix(dotted, strings.TrimSuffix(pattern, "*"))
	}
	return pattern == dotted
}

var webhookPattern = func(p string) bool {
	if p == "*" {
		return true
	}
	p = strings.TrimSuffix(p, ".*")
	if p == "" || len(p) > 100 {
		return false
	}
	for _, part := range strings.Split(p, ".") {
		if part == "" {
			return false
		}
		for _, c := range part {
			if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
				return false
			}
		}
	}
	return true
}

// CheckWebhookURL records a problem with an endpoint URL on field: it must be absolute
// http(s) with a host, no credentials and a port (if any) from 1 to 65535; its host must
// pass WebhookTarget, so an address that is not public (in any spelling) and localhost are
// refused unless allowPrivate. Names are resolved and checked by the caller (and again
// when dialling).
func CheckWebhookURL(v *Validation, field, raw string, allowPrivate bool) {
	u, err := url.Parse(raw)
	if err != nil || len(raw) > 2048 || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil || u.Fragment != "" {
		v.Add(field, "must be an absolute http or https URL without credentials, at most 2048 characters")
		return
	}
	if p := u.Port(); p != "" {
		// url.Parse takes any run of digits ("99999"); the dialler would refuse it
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			v.Add(field, "must have a port from 1 to 65535")
		}
	}
	switch _, _, err := WebhookTarget(u.Hostname(), allowPrivate); {
	case errors.Is(err, ErrWebhookPrivate):
		v.Add(field, "must not point to a private, loopback or link-local address")
	case err != nil:
		v.Add(field, "must have a valid host name or IP address")
	}
}

var (
	// ErrWebhookHost is returned by WebhookTarget for a host that is neither a DNS name nor
	// an IP address: an IPv6 literal that does not parse, a name IDNA refuses, one whose last
	// label is a number but that is no IPv4 address ("1.2.3.4.5", "08.0.0.1").
	ErrWebhookHost = errors.New("not a valid host name or IP address")
	// ErrWebhookPrivate is returned by WebhookTarget for an address that is not public
	// (PublicAddr), or a localhost name, when private targets are not allowed.
	ErrWebhookPrivate = errors.New("a private, loopback or link-local address")
)

// WebhookTarget reads a webhook host (a URL's hostname, or the address a dialler connects
// to) the way URL parsers and resolvers do, then says whether endpoints may target it, so
// the check at create and the dialler's (CheckWebhookDial) cannot disagree:
//   - a host with a colon is an IPv6 address (netip; a zone is kept);
//   - any other non-ASCII host is mapped to ASCII by IDNA (UTS #46 lookup, as net/http
//     does), so "127。0。0。1" and "①②⑦.0.0.1" read 127.0.0.1, "bücher.example"
//     xn--bcher-kva.example; ASCII is lower-cased;
//   - a host whose last label (after one trailing dot) is a number is an IPv4 address in a
//     form inet_aton accepts ("2130706433", "0x7f000001", "0177.0.0.1", "127.1" all read
//     127.0.0.1), or is invalid: no resolver would look it up as a name;
//   - anything else is a DNS name of letters, digits, '-', '_' and '.'.
//
// It returns the address host denotes, or the zero Addr and the ASCII name to resolve (its
// addresses are checked at create and when dialling). The error is ErrWebhookHost if host
// is none of these, or ErrWebhookPrivate, unless allowPrivate, if the address is not
// PublicAddr (IPv4-mapped, -compatible and -translated IPv6 included) or the name is
// localhost or under .localhost (RFC 6761).
func WebhookTarget(host string, allowPrivate bool) (netip.Addr, string, error) {
	if host == "" {
		return netip.Addr{}, "", ErrWebhookHost
	}
	if strings.Contains(host, ":") {
		ip, err := netip.ParseAddr(host)
		if err != nil {
			return netip.Addr{}, "", ErrWebhookHost
		}
		return webhookAddr(ip, allowPrivate)
	}
	name := strings.ToLower(host)
	if !isASCII(name) {
		var err error
		if name, err = idna.Lookup.ToASCII(host); err != nil {
			return netip.Addr{}, "", ErrWebhookHost
		}
	}
	labels := strings.Split(name, ".")
	if len(labels) > 1 && labels[len(labels)-1] == "" {
		labels = labels[:len(labels)-1] // "127.0.0.1." and "localhost." are absolute forms of the same host
	}
	if isNumberLabel(labels[len(labels)-1]) {
		ip, ok := parseInetAton(labels)
		if !ok {
			return netip.Addr{}, "", ErrWebhookHost
		}
		return webhookAddr(ip, allowPrivate)
	}
	for _, c := range name {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' && c != '_' && c != '.' {
			return netip.Addr{}, "", ErrWebhookHost
		}
	}
	if last := labels[len(labels)-1]; !allowPrivate && last == "localhost" {
		return netip.Addr{}, "", ErrWebhookPrivate
	}
	return netip.Addr{}, name, nil
}

func webhookAddr(ip netip.Addr, allowPrivate bool) (netip.Addr, string, error) {
	if !allowPrivate && !PublicAddr(ip) {
		return netip.Addr{}, "", ErrWebhookPrivate
	}
	return ip, "", nil
}

// CheckWebhookDial is the webhook dialler's guard: address is the "ip:port" being
// connected to, after DNS. It returns ErrWebhookPrivate when WebhookTarget refuses its
// host, and ErrWebhookHost when that is not an address (the dialler is never handed names).
func CheckWebhookDial(address string, allowPrivate bool) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return ErrWebhookHost
	}
	ip, _, err := WebhookTarget(host, allowPrivate)
	if err != nil {
		return err
	}
	if !ip.IsValid() {
		return ErrWebhookHost
	}
	return nil
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// isNumberLabel reports whether a label is decimal digits, or 0x and hex digits: a host
// ending in one is an IPv4 address or nothing (the WHATWG URL standard's "ends in a number").
func isNumberLabel(l string) bool {
	digits := "0123456789"
	if len(l) >= 2 && l[0] == '0' && (l[1] == 'x' || l[1] == 'X') {
		l, digits = l[2:], "0123456789abcdefABCDEF"
	} else if l == "" {
		return false
	}
	for i := range len(l) {
		if !strings.ContainsRune(digits, rune(l[i])) {
			return false
		}
	}
	return true
}

// parseInetAton reads an IPv4 address as inet_aton(3) does: one to four parts, each
// decimal, 0x hex or 0-prefixed octal; every part but the last is one byte, the last fills
// the bytes left ("127.1" is 127.0.0.1, "2130706433" the same address as one number).
func parseInetAton(parts []string) (netip.Addr, bool) {
	if len(parts) > 4 {
		return netip.Addr{}, false
	}
	var v uint64
	for i, p := range parts {
		base := 10
		switch {
		case len(p) >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'):
			base, p = 16, p[2:]
			if p == "" {
				p = "0" // inet_aton and URL parsers read a bare "0x" as 0
			}
		case len(p) > 1 && p[0] == '0':
			base, p = 8, p[1:]
		}
		n, err := strconv.ParseUint(p, base, 64) // an explicit base refuses signs, "_" and empty parts
		if err != nil {
			return netip.Addr{}, false
		}
		bits := 8
		if i == len(parts)-1 {
			bits = 8 * (4 - i)
		}
		if n >= 1<<bits {
			return netip.Addr{}, false
		}
		v = v<<bits | n
	}
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), true
}

// globalUnicast is the IPv6 space the internet routes (RFC 4291 2.4). Outside it lie
// loopback, unspecified, ULA, link-local and multicast, and the forms that embed an IPv4
// address a host or gateway may reach: IPv4-compatible ::/96 ("::127.0.0.1"),
// IPv4-translated ::ffff:0:0:0/96, NAT64 64:ff9b::/96 and 64:ff9b:1::/48; all are refused
// whatever they embed. (IPv4-mapped ::ffff:0:0/96 is unmapped and checked as IPv4.)
var globalUnicast = netip.MustParsePrefix("2000::/3")

// nonPublic are the special-purpose ranges netip has no predicate for: CGNAT, "this
// network", IETF protocol assignments, benchmarking, reserved, and the global-unicast IPv6
// prefixes that embed an IPv4 address a gateway may route to (6to4, Teredo).
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("100.64.0.0/10"), netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("192.0.0.0/24"), netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"), netip.MustParsePrefix("2002::/16"),
	netip.MustParsePrefix("2001::/32"),
}

// PublicAddr reports whether ip may be a webhook target: an IPv4 address (IPv4-mapped
// IPv6 is unmapped first) that is not loopback, private, link-local, unspecified,
// multicast nor in nonPublic, or an IPv6 global-unicast address, without a zone, outside
// nonPublic.
func PublicAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsUnspecified() || ip.IsMulticast() || ip.IsInterfaceLocalMulticast() {
		return false
	}
	if ip.Is6() && (ip.Zone() != "" || !globalUnicast.Contains(ip)) {
		return false // a zone names a local link (and would match no prefix)
	}
	for _, p := range nonPublic {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

func checkWebhookEvents(v *Validation, events []string) {
	v.Check(len(events) > 0 && len(events) <= 100, "events", "1 to 100 event names or patterns (order.*, customer.updated, *)")
	for i, p := range events {
		v.Check(webhookPattern(p), "events["+strconv.Itoa(i)+"]", `must be "*", a dotted event name or "<prefix>.*"`)
	}
}

// CreateWebhookEndpoint creates an ENABLED endpoint with a secret the caller generated.
type CreateWebhookEndpoint struct {
	EndpointID   string
	URL          string
	Events       []string
	Description  string
	Secret       string
	AllowPrivate bool // operator setting: private targets allowed
}

// Check validates the command.
func (cmd CreateWebhookEndpoint) Check(v *Validation) {
	v.Check(ValidID(cmd.EndpointID), "id", "must match ^[A-Za-z0-9_-]{1,64}$")
	CheckWebhookURL(v, "url", cmd.URL, cmd.AllowPrivate)
	checkWebhookEvents(v, cmd.Events)
	v.Check(len(cmd.Description) <= 500, "description", "must be at most 500 characters")
}

// UpdateWebhookEndpoint changes the fields that are set.
type UpdateWebhookEndpoint struct {
	URL          *string
	Events       *[]string
	Description  *string
	AllowPrivate bool
}

// Check validates the command.
func (cmd UpdateWebhookEndpoint) Check(v *Validation) {
	if cmd.URL != nil {
		CheckWebhookURL(v, "url", *cmd.URL, cmd.AllowPrivate)
	}
	if cmd.Events != nil {
		checkWebhookEvents(v, *cmd.Events)
	}
	if cmd.Description != nil {
		v.Check(len(*cmd.Description) <= 500, "description", "must be at most 500 characters")
	}
}

// Create decides the endpoint's creation.
func (w *WebhookEndpoint) Create(cmd CreateWebhookEndpoint) ([]Event, error) {
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if w.Version > 0 {
		return nil, &AlreadyExistsError{Entity: "webhook endpoint", Field: "id"}
	}
	return []Event{WebhookEndpointCreated{EndpointID: cmd.EndpointID, URL: cmd.URL, Events: slices.Clone(cmd.Events),
		Description: cmd.Description, Secret: cmd.Secret}}, nil
}

// Update decides an edit; no change yields no event.
func (w *WebhookEndpoint) Update(cmd UpdateWebhookEndpoint) ([]Event, error) {
	var v Validation
	cmd.Check(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if !w.Exists() {
		return nil, ErrNotFound
	}
	e := WebhookEndpointUpdated{EndpointID: w.ID}
	if cmd.URL != nil && *cmd.URL != w.URL {
		e.URL = &Change{From: w.URL, To: *cmd.URL}
	}
	if cmd.Events != nil && !slices.Equal(*cmd.Events, w.Events) {
		e.Events = &IDsChange{From: w.Events, To: slices.Clone(*cmd.Events)}
	}
	if cmd.Description != nil && *cmd.Description != w.Description {
		e.Description = &Change{From: w.Description, To: *cmd.Description}
	}
	if e.URL == nil && e.Events == nil && e.Description == nil {
		return nil, nil
	}
	return []Event{e}, nil
}

// RotateSecret decides a new signing secret (generated by the caller).
func (w *WebhookEndpoint) RotateSecret(secret string) ([]Event, error) {
	if !w.Exists() {
		return nil, ErrNotFound
	}
	return []Event{WebhookEndpointSecretRotated{EndpointID: w.ID, Secret: secret}}, nil
}

// Disable stops deliveries (they wait, in order, until the endpoint is enabled again).
func (w *WebhookEndpoint) Disable(reason string) ([]Event, error) {
	if !w.Exists() {
		return nil, ErrNotFound
	}
	if _, err := webhookEndpointFlow.Next(w.Status, "disable"); err != nil {
		return nil, err
	}
	return []Event{WebhookEndpointDisabled{EndpointID: w.ID, Reason: reason}}, nil
}

// Enable resumes deliveries and clears the failure count.
func (w *WebhookEndpoint) Enable() ([]Event, error) {
	if !w.Exists() {
		return nil, ErrNotFound
	}
	if _, err := webhookEndpointFlow.Next(w.Status, "enable"); err != nil {
		return nil, err
	}
	return []Event{WebhookEndpointEnabled{EndpointID: w.ID}}, nil
}

// Delete removes the endpoint: no new deliveries, pending ones are dropped by the dispatcher.
func (w *WebhookEndpoint) Delete() ([]Event, error) {
	if !w.Exists() {
		return nil, ErrNotFound
	}
	return []Event{WebhookEndpointDeleted{EndpointID: w.ID}}, nil
}

// RecordDelivery decides what a finished delivery means for the endpoint: a success
// clears the failure count, a failure raises it, and at disableAfter failures in a row
// the endpoint is disabled. A deleted or unknown endpoint records nothing.
func (w *WebhookEndpoint) RecordDelivery(deliveryID string, succeeded bool, disableAfter int) ([]Event, error) {
	if !w.Exists() {
		return nil, nil
	}
	if succeeded {
		if w.ConsecutiveFailures == 0 {
			return nil, nil
		}
		return []Event{WebhookEndpointFailuresCleared{EndpointID: w.ID, DeliveryID: deliveryID}}, nil
	}
	n := w.ConsecutiveFailures + 1
	out := []Event{WebhookEndpointFailureCounted{EndpointID: w.ID, DeliveryID: deliveryID, ConsecutiveFailures: n}}
	if disableAfter > 0 && n >= disableAfter && w.Status == WebhookEndpointStatusEnabled {
		out = append(out, WebhookEndpointDisabled{EndpointID: w.ID,
			Reason: strconv.Itoa(n) + " deliveries failed in a row"})
	}
	return out, nil
}

// Apply folds an endpoint event in.
func (w *WebhookEndpoint) Apply(env Envelope) {
	switch e := env.Event.(type) {
	case WebhookEndpointCreated:
		*w = WebhookEndpoint{ID: e.EndpointID, URL: e.URL, Events: slices.Clone(e.Events), Description: e.Description,
			Secret: e.Secret, Status: WebhookEndpointStatusEnabled, CreatedAt: env.Time}
	case WebhookEndpointUpdated:
		if e.URL != nil {
			w.URL = e.URL.To
		}
		if e.Events != nil {
			w.Events = slices.Clone(e.Events.To)
		}
		if e.Description != nil {
			w.Description = e.Description.To
		}
	case WebhookEndpointSecretRotated:
		w.Secret = e.Secret
	case WebhookEndpointDisabled:
		w.Status, w.DisabledReason = WebhookEndpointStatusDisabled, e.Reason
	case WebhookEndpointEnabled:
		w.Status, w.DisabledReason, w.ConsecutiveFailures = WebhookEndpointStatusEnabled, "", 0
	case WebhookEndpointDeleted:
		w.Deleted = true
	case WebhookEndpointFailureCounted:
		w.ConsecutiveFailures = e.ConsecutiveFailures
	case WebhookEndpointFailuresCleared:
		w.ConsecutiveFailures = 0
	}
	w.Version = env.Version
	w.UpdatedAt = env.Time
}

// WebhookEndpointCreated: an endpoint subscribed. Secret signs its deliveries.
type WebhookEndpointCreated struct {
	EndpointID  string   `json:"endpoint_id"`
	URL         string   `json:"url"`
	Events      []string `json:"events"`
	Description string   `json:"description,omitempty"`
	Secret      string   `json:"secret,omitempty" personal:"true"` // sealed like personal data, with the endpoint's own key
}

// WebhookEndpointUpdated: url, events or description changed.
type WebhookEndpointUpdated struct {
	EndpointID  string     `json:"endpoint_id"`
	URL         *Change    `json:"url,omitempty"`
	Events      *IDsChange `json:"events,omitempty"`
	Description *Change    `json:"description,omitempty"`
}

// WebhookEndpointSecretRotated: deliveries are signed with a new secret from now on.
type WebhookEndpointSecretRotated struct {
	EndpointID string `json:"endpoint_id"`
	Secret     string `json:"secret,omitempty" personal:"true"` // sealed, see WebhookEndpointCreated
}

// WebhookEndpointDisabled: deliveries stop (by an operator, or after failures in a row).
type WebhookEndpointDisabled struct {
	EndpointID string `json:"endpoint_id"`
	Reason     string `json:"reason,omitempty"`
}

// WebhookEndpointEnabled: deliveries resume; the failure count starts again.
type WebhookEndpointEnabled struct {
	EndpointID string `json:"endpoint_id"`
}

// WebhookEndpointDeleted: the endpoint is gone.
type WebhookEndpointDeleted struct {
	EndpointID string `json:"endpoint_id"`
}

// WebhookEndpointFailureCounted: a delivery failed for good; the count of failures in a row.
type WebhookEndpointFailureCounted struct {
	EndpointID          string `json:"endpoint_id"`
	DeliveryID          string `json:"delivery_id"`
	ConsecutiveFailures int    `json:"consecutive_failures"`
}

// WebhookEndpointFailuresCleared: a delivery succeeded after failures.
type WebhookEndpointFailuresCleared struct {
	EndpointID string `json:"endpoint_id"`
	DeliveryID string `json:"delivery_id"`
}

func (WebhookEndpointCreated) EventType() string         { return "WebhookEndpointCreated" }
func (WebhookEndpointUpdated) EventType() string         { return "WebhookEndpointUpdated" }
func (WebhookEndpointSecretRotated) EventType() string   { return "WebhookEndpointSecretRotated" }
func (WebhookEndpointDisabled) EventType() string        { return "WebhookEndpointDisabled" }
func (WebhookEndpointEnabled) EventType() string         { return "WebhookEndpointEnabled" }
func (WebhookEndpointDeleted) EventType() string         { return "WebhookEndpointDeleted" }
func (WebhookEndpointFailureCounted) EventType() string  { return "WebhookEndpointFailureCounted" }
func (WebhookEndpointFailuresCleared) EventType() string { return "WebhookEndpointFailuresCleared" }

// Redacted is the event without its secret, for every reader but the dispatcher.
func (e WebhookEndpointCreated) Redacted() Event { e.Secret = ""; return e }

// Redacted is the event without its secret (see WebhookEndpointCreated).
func (e WebhookEndpointSecretRotated) Redacted() Event { e.Secret = ""; return e }

func webhookEndpointEvents(r *Registry) {
	Register[WebhookEndpointCreated](r, "webhook_endpoint", 1, nil)
	Register[WebhookEndpointUpdated](r, "webhook_endpoint", 1, nil)
	Register[WebhookEndpointSecretRotated](r, "webhook_endpoint", 1, nil)
	Register[WebhookEndpointDisabled](r, "webhook_endpoint", 1, nil)
	Register[WebhookEndpointEnabled](r, "webhook_endpoint", 1, nil)
	Register[WebhookEndpointDeleted](r, "webhook_endpoint", 1, nil)
	Register[WebhookEndpointFailureCounted](r, "webhook_endpoint", 1, nil)
	Register[WebhookEndpointFailuresCleared](r, "webhook_endpoint", 1, nil)
}

package sdk

import "testing"

func TestNextRevision(t *testing.T) {
	for _, c := range []struct{ rev, want string }{
		{"", "2"}, {"1", "2"}, {"9", "10"}, {"B2", "B3"}, {"v1.9", "v1.10"},
		{"A", "B"}, {"rev-c", "rev-d"}, {"Z", "Z-2"}, {"1.0-", "1.0--2"},
	} {
		if got := nextRevision(c.rev); got != c.want {
			t.Errorf("nextRevision(%q) = %q, want %q", c.rev, got, c.want)
		}
	}
}

package fleet

import (
	"strings"
	"testing"
)

func TestSecretMarker(t *testing.T) {
	m, err := secretMarker("sk-value", 1000)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(m, "hfspaces:pbkdf2-sha256:1000:") || strings.Contains(m, "sk-value") {
		t.Fatalf("marker %q", m)
	}
	m2, _ := secretMarker("sk-value", 1000)
	if m == m2 {
		t.Error("two markers of one value are equal: the salt is not random")
	}
	cases := map[string]struct {
		desc, value string
		want        secretStatus
	}{
		"same":             {m, "sk-value", secretSame},
		"changed":          {m, "sk-value2", secretChanged},
		"no marker":        {"OpenAI key", "sk-value", secretUnmarked},
		"empty":            {"", "sk-value", secretUnmarked},
		"truncated":        {m[:len(m)-4], "sk-value", secretUnmarked},
		"absurd count":     {strings.Replace(m, ":1000:", ":999999999:", 1), "sk-value", secretUnmarked},
		"zero count":       {strings.Replace(m, ":1000:", ":0:", 1), "sk-value", secretUnmarked},
		"over the cap":     {strings.Replace(m, ":1000:", ":2000001:", 1), "sk-value", secretUnmarked},
		"hash of another":  {strings.Replace(m, ":1000:", ":1001:", 1), "sk-value", secretChanged},
		"extra field":      {m + ":x", "sk-value", secretUnmarked},
		"other algorithm":  {strings.Replace(m, "sha256", "sha1", 1), "sk-value", secretUnmarked},
		"spaces around it": {"  " + m + "\n", "sk-value", secretSame},
	}
	for name, c := range cases {
		if got := checkMarker(c.desc, c.value); got != c.want {
			t.Errorf("%s: %v, want %v", name, got, c.want)
		}
	}
}

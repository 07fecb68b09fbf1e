package suggest

import "testing"

var flavors = []string{"cpu-basic", "cpu-upgrade", "t4-small", "t4-medium", "a10g-small", "a10g-large", "a100-large", "h100", "h100x8", "l4x1", "l4x4"}

func TestClosest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		word string
		want string
	}{
		{"t4-smal", "t4-small"},
		{"t4-smalll", "t4-small"},
		{"t4small", "t4-small"},
		{"4t-small", "t4-small"},
		{"T4-SMALL", ""}, // exact, case aside: nothing to suggest
		{"cpu-basci", "cpu-basic"},
		{"a100-larg", "a100-large"},
		{"h10", "h100"},
		{"gpu", ""},
		{"quantum-xxl", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Closest(tt.word, flavors); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

func TestDistance(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"abc", "", 3},
		{"kitten", "sitting", 3},
		{"ab", "ba", 1},
		{"t4-small", "t4-small", 0},
		{"ça", "ca", 1},
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

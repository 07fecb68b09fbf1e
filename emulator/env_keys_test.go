package emulator

import (
	"encoding/json"
	"os"
	"testing"
)

// TestEnvKey_SharedTable: the emulator accepts exactly the keys of the
// table the library and the CLI check (../testdata/env_keys.json).
func TestEnvKey_SharedTable(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../testdata/env_keys.json")
	if err != nil {
		t.Fatal(err)
	}
	var table struct {
		Valid   []string `json:"valid"`
		Invalid []struct {
			Key string `json:"key"`
		} `json:"invalid"`
	}
	if err := json.Unmarshal(data, &table); err != nil {
		t.Fatal(err)
	}
	for _, key := range table.Valid {
		if !envKey.MatchString(key) {
			t.Errorf("the emulator refuses %q", key)
		}
	}
	for _, tt := range table.Invalid {
		if envKey.MatchString(tt.Key) {
			t.Errorf("the emulator accepts %q", tt.Key)
		}
	}
}

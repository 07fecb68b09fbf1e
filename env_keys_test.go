package hfhub

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// envKeyTable is testdata/env_keys.json: the keys the Hub accepts and
// refuses, shared with the emulator's and the CLI's tests.
type envKeyTable struct {
	Valid   []string `json:"valid"`
	Invalid []struct {
		Key string `json:"key"`
		Why string `json:"why"`
	} `json:"invalid"`
}

func readEnvKeyTable(t *testing.T) envKeyTable {
	t.Helper()
	data, err := os.ReadFile("testdata/env_keys.json")
	if err != nil {
		t.Fatal(err)
	}
	var table envKeyTable
	if err := json.Unmarshal(data, &table); err != nil {
		t.Fatal(err)
	}
	if len(table.Valid) == 0 || len(table.Invalid) == 0 {
		t.Fatal("empty env key table")
	}
	return table
}

func TestValidateEnvKey_Table(t *testing.T) {
	t.Parallel()
	table := readEnvKeyTable(t)
	for _, key := range table.Valid {
		if err := ValidateEnvKey(key); err != nil {
			t.Errorf("ValidateEnvKey(%q) = %v, want nil", key, err)
		}
	}
	for _, tt := range table.Invalid {
		err := ValidateEnvKey(tt.Key)
		if !errors.Is(err, ErrInvalidKey) {
			t.Errorf("ValidateEnvKey(%q) (%s) = %v, want ErrInvalidKey", tt.Key, tt.Why, err)
			continue
		}
		if !utf8.ValidString(err.Error()) || strings.ContainsAny(err.Error(), "\n\t\x00") {
			t.Errorf("ValidateEnvKey(%q): message %q is not one printable line", tt.Key, err)
		}
	}
}

// TestValidate_NonASCIIMessages: a character outside ASCII is shown as
// itself in the message (it was shown byte by byte: 'ñ' as 'Ã').
func TestValidate_NonASCIIMessages(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		err  error
		want string
	}{
		{ValidateEnvKey("AÑO"), `"AÑO" contains 'Ñ'`},
		{ValidateEnvKey("ключ"), `"ключ" contains 'к'`},
		{ValidateEnvKey("1KEY"), `"1KEY" starts with a digit`},
		{ValidateEnvKey("A B"), `contains a space`},
		{ValidateEnvKey("A\x01"), `contains the control character U+0001`},
		{ValidateRepoID("user/españa"), `"user/españa" contains 'ñ'`},
		{ValidateRepoID("usér/space"), `"usér/space" contains 'é'`},
		{ValidateRepoID("user/a b"), `contains a space`},
		{ValidateRepoID("user/\xff"), `contains bytes that are not UTF-8`},
		{Hardware(strings.Repeat("ñ", 100)).Validate(), strings.Repeat("ñ", 60) + "…"},
	} {
		if tt.err == nil || !strings.Contains(tt.err.Error(), tt.want) {
			t.Errorf("error %v, want it to contain %s", tt.err, tt.want)
		}
		if strings.Contains(tt.err.Error(), "Ã") {
			t.Errorf("error %q shows UTF-8 bytes as Latin-1", tt.err)
		}
	}
}

// TestValidateRepoID_Lengths: a name and a namespace may have up to
// MaxRepoNameLen characters.
func TestValidateRepoID_Lengths(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", MaxRepoNameLen)
	for _, id := range []string{"user/" + long, long + "/space", long + "/" + long} {
		if err := ValidateRepoID(id); err != nil {
			t.Errorf("ValidateRepoID(%d chars) = %v", len(id), err)
		}
	}
	for _, id := range []string{"user/" + long + "a", long + "a/space"} {
		if err := ValidateRepoID(id); !errors.Is(err, ErrInvalidRepoID) {
			t.Errorf("ValidateRepoID(%d chars) = %v, want ErrInvalidRepoID", len(id), err)
		}
	}
}

// TestOptions_Valid: every options struct is checked by its valid method
// before anything is sent; a nil pointer is valid.
func TestOptions_Valid(t *testing.T) {
	t.Parallel()
	valids := []interface{ valid() error }{
		(*HardwareOptions)(nil), (*VariableOptions)(nil), (*SecretOptions)(nil), (*ListOptions)(nil),
		(*DuplicateOptions)(nil), (*RestartOptions)(nil), (*LogOptions)(nil), (*WaitOptions)(nil),
		&HardwareOptions{SleepTime: ptr(-1)}, &VariableOptions{Description: "ñ"}, &ListOptions{Author: "user", Limit: 5, Expand: []string{"runtime"}},
		&DuplicateOptions{}, &RestartOptions{FactoryReboot: true}, &LogOptions{}, &WaitOptions{},
	}
	for _, o := range valids {
		if err := o.valid(); err != nil {
			t.Errorf("%#v.valid() = %v", o, err)
		}
	}
	invalids := []interface{ valid() error }{
		&HardwareOptions{SleepTime: ptr(0)}, &VariableOptions{Description: "\xff"}, &SecretOptions{Description: "\xfe"},
		&ListOptions{Limit: -1}, &ListOptions{Author: "a b"}, &ListOptions{Expand: []string{"run time"}},
		&DuplicateOptions{Visibility: "secret"}, &LogOptions{IdleTimeout: -1}, &WaitOptions{PollInterval: -1},
	}
	for _, o := range invalids {
		if err := o.valid(); err == nil {
			t.Errorf("%#v.valid() = nil, want an error", o)
		}
	}
}

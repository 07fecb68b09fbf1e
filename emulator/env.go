package emulator

import (
	"net/http"
	"slices"
	"time"
)

// envKey is what the Hub accepts as a variable or secret name:
// ^[A-Za-z_][A-Za-z0-9_]{0,199}$.
var envKey = nameRule{first: isLetterOrUnderscore, rest: isWordByte, max: 200}

// nameRule matches names of 1 to max bytes whose first byte passes first
// and every other byte rest: what the emulator checks names with, in plain
// code rather than regular expressions compiled at start-up by every
// program that links the emulator.
type nameRule struct {
	first, rest func(byte) bool
	max         int
}

// MatchString reports whether s follows the rule.
func (n nameRule) MatchString(s string) bool {
	if len(s) == 0 || len(s) > n.max || !n.first(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !n.rest(s[i]) {
			return false
		}
	}
	return true
}

func isLetterOrUnderscore(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_'
}

func isWordByte(c byte) bool { return isLetterOrUnderscore(c) || '0' <= c && c <= '9' }

func isRepoNameByte(c byte) bool { return isWordByte(c) || c == '.' || c == '-' }

// Limits on what a Space's variables and secrets hold, so that no token
// holder can make a Space's record, which every write of the Space saves,
// large enough to stall the emulator: a value (or description) holds at
// most maxEnvValue bytes, and a Space's variables and secrets together at
// most maxEnvTotal (each entry counting its key, value, description and
// envEntryOverhead).
const (
	maxEnvValue      = 64 << 10
	maxEnvTotal      = 256 << 10
	envEntryOverhead = 64
)

func envSize(list []envEntry) int {
	n := 0
	for _, e := range list {
		n += len(e.Key) + len(e.Value) + envEntryOverhead
		if e.Description != nil {
			n += len(*e.Description)
		}
	}
	return n
}

// checkEnvValue refuses a value or description over maxEnvValue bytes.
func checkEnvValue(key, value string, description *string) error {
	if len(value) > maxEnvValue {
		return errorf(http.StatusBadRequest, "The value of %s is %d bytes: at most %d", key, len(value), maxEnvValue)
	}
	if description != nil && len(*description) > maxEnvValue {
		return errorf(http.StatusBadRequest, "The description of %s is %d bytes: at most %d", key, len(*description), maxEnvValue)
	}
	return nil
}

// checkEnvTotal refuses variables and secrets over maxEnvTotal together.
func checkEnvTotal(rec *spaceRecord) error {
	if n := envSize(rec.Variables) + envSize(rec.Secrets); n > maxEnvTotal {
		return errorf(http.StatusBadRequest, "The variables and secrets of a Space hold at most %d bytes together; this would make %d", maxEnvTotal, n)
	}
	return nil
}

type envRequest struct {
	Key         *string `json:"key"`
	Value       *string `json:"value"`
	Description *string `json:"description"`
}

// variablesObject is the map key → {value, description?, updatedAt}, in the
// order the keys were first added (cassette test_manage_variables).
func variablesObject(list []envEntry) obj {
	o := make(obj, 0, len(list))
	for _, v := range list {
		entry := obj{{"value", v.Value}}
		if v.Description != nil {
			entry = append(entry, kv{"description", *v.Description})
		}
		o = append(o, kv{v.Key, append(entry, kv{"updatedAt", hubTime(v.UpdatedAt)})})
	}
	return o
}

// secretsObject is the map key → {description?, updatedAt}: never a value.
func secretsObject(list []envEntry) obj {
	o := make(obj, 0, len(list))
	for _, v := range list {
		entry := obj{}
		if v.Description != nil {
			entry = append(entry, kv{"description", *v.Description})
		}
		o = append(o, kv{v.Key, append(entry, kv{"updatedAt", hubTime(v.UpdatedAt)})})
	}
	return o
}

// parseEnv reads {"key", "value"?, "description"?}; the value is required
// when adding.
func parseEnv(body []byte, adding bool) (envRequest, error) {
	var req envRequest
	if err := parseJSON(body, &req); err != nil {
		return req, err
	}
	if req.Key == nil || *req.Key == "" {
		return req, errorf(http.StatusBadRequest, "key is required")
	}
	if adding {
		if !envKey.MatchString(*req.Key) {
			return req, errorf(http.StatusBadRequest, "Invalid key %q: use letters, digits and underscores, not starting with a digit", *req.Key)
		}
		if req.Value == nil {
			return req, errorf(http.StatusBadRequest, "value is required")
		}
		if err := checkEnvValue(*req.Key, *req.Value, req.Description); err != nil {
			return req, err
		}
	}
	return req, nil
}

func (e *Emulator) handleVariablesGet(w http.ResponseWriter, r *http.Request) {
	e.withSpace(w, r, accessRead, func(s *space, now time.Time) (any, error) {
		return variablesObject(s.rec.Variables), nil
	})
}

func (e *Emulator) handleVariablesPost(w http.ResponseWriter, r *http.Request) {
	e.mutateEnv(w, r, false, true)
}

func (e *Emulator) handleVariablesDelete(w http.ResponseWriter, r *http.Request) {
	e.mutateEnv(w, r, false, false)
}

func (e *Emulator) handleSecretsGet(w http.ResponseWriter, r *http.Request) {
	e.withSpace(w, r, accessManage, func(s *space, now time.Time) (any, error) {
		return secretsObject(s.rec.Secrets), nil
	})
}

func (e *Emulator) handleSecretsPost(w http.ResponseWriter, r *http.Request) {
	e.mutateEnv(w, r, true, true)
}

func (e *Emulator) handleSecretsDelete(w http.ResponseWriter, r *http.Request) {
	e.mutateEnv(w, r, true, false)
}

// mutateEnv adds or deletes a variable or a secret. Variables answer the
// whole map after the change; secrets answer {}. Deleting a key that is not
// there is not an error.
func (e *Emulator) mutateEnv(w http.ResponseWriter, r *http.Request, secret, adding bool) {
	body, err := readBody(w, r)
	if err != nil {
		failErr(w, err)
		return
	}
	e.withSpace(w, r, accessWrite, func(s *space, now time.Time) (any, error) {
		req, err := parseEnv(body, adding)
		if err != nil {
			return nil, err
		}
		list := &s.rec.Variables
		if secret {
			list = &s.rec.Secrets
		}
		if adding {
			old := slices.Clone(*list)
			*list = upsertEntry(*list, envEntry{Key: *req.Key, Value: *req.Value, Description: req.Description, UpdatedAt: now})
			if err := checkEnvTotal(&s.rec); err != nil {
				*list = old
				return nil, err
			}
		} else {
			*list = removeEntry(*list, *req.Key)
		}
		if secret {
			return obj{}, nil
		}
		return variablesObject(s.rec.Variables), nil
	})
}

package hfhub

import (
	"context"
	"fmt"
	"net/http"
	"time"
	"unicode/utf8"
)

// VariableOptions modifies AddVariable.
type VariableOptions struct {
	Description string
}

func (o *VariableOptions) valid() error {
	if o == nil {
		return nil
	}
	return validDescription(o.Description)
}

// SecretOptions modifies AddSecret.
type SecretOptions struct {
	Description string
}

func (o *SecretOptions) valid() error {
	if o == nil {
		return nil
	}
	return validDescription(o.Description)
}

// validDescription refuses a description that is not UTF-8: JSON would
// send it altered.
func validDescription(d string) error {
	if !utf8.ValidString(d) {
		return fmt.Errorf("%w: the description is not valid UTF-8", ErrInvalidOption)
	}
	return nil
}

type envBody struct {
	Key         string `json:"key"`
	Value       string `json:"value"`
	Description string `json:"description,omitempty"`
}

type keyBody struct {
	Key string `json:"key"`
}

// GetVariables returns a Space's variables by key.
func (s *SpacesService) GetVariables(ctx context.Context, repoID string) (map[string]SpaceVariable, error) {
	if err := validateSpaceID(repoID); err != nil {
		return nil, err
	}
	return s.variablesCall(ctx, call{op: "GetVariables", method: http.MethodGet, path: spacePath(repoID, "variables"), retry: true})
}

// AddVariable adds a variable, or updates it when the key exists. The
// change takes effect when the Space restarts, which the Hub does by itself.
func (s *SpacesService) AddVariable(ctx context.Context, repoID, key, value string, opts *VariableOptions) (*SpaceVariable, error) {
	if err := validateSpaceID(repoID); err != nil {
		return nil, err
	}
	if err := ValidateEnvKey(key); err != nil {
		return nil, err
	}
	if err := opts.valid(); err != nil {
		return nil, err
	}
	body := envBody{Key: key, Value: value}
	if opts != nil {
		body.Description = opts.Description
	}
	raw, err := s.client.envCall(ctx, call{op: "AddVariable", method: http.MethodPost, path: spacePath(repoID, "variables"), body: body, retry: true})
	if err != nil {
		return nil, err
	}
	e, ok := raw[key]
	if !ok {
		return nil, fmt.Errorf("hfhub: AddVariable: the Hub accepted %q but its answer does not list it", key)
	}
	return e.variable(key), nil
}

// DeleteVariable removes a variable. A key that is not there is not an error.
func (s *SpacesService) DeleteVariable(ctx context.Context, repoID, key string) error {
	if err := validateSpaceID(repoID); err != nil {
		return err
	}
	if err := ValidateEnvKey(key); err != nil {
		return err
	}
	// The answer (the variables left) is not returned: it is not decoded
	// either, so an empty or odd 2xx body cannot turn a done change into an error.
	return s.client.do(ctx, call{op: "DeleteVariable", method: http.MethodDelete, path: spacePath(repoID, "variables"), body: keyBody{key}, retry: true}, nil)
}

func (s *SpacesService) variablesCall(ctx context.Context, cl call) (map[string]SpaceVariable, error) {
	raw, err := s.client.envCall(ctx, cl)
	if err != nil {
		return nil, err
	}
	vars := make(map[string]SpaceVariable, len(raw))
	for k, e := range raw {
		vars[k] = *e.variable(k)
	}
	return vars, nil
}

// envCall sends a call whose answer is a variables or secrets map.
func (c *Client) envCall(ctx context.Context, cl call) (map[string]wireEnvEntry, error) {
	data, _, err := c.exchange(ctx, cl)
	if err != nil {
		return nil, err
	}
	m, err := decodeEnv(data)
	if err != nil {
		return nil, fmt.Errorf("hfhub: %s: decoding the answer: %w", cl.op, err)
	}
	return m, nil
}

// GetSecrets returns a Space's secrets by key: descriptions and update
// times, never values (the Hub does not return them).
func (s *SpacesService) GetSecrets(ctx context.Context, repoID string) (map[string]SpaceSecret, error) {
	if err := validateSpaceID(repoID); err != nil {
		return nil, err
	}
	raw, err := s.client.envCall(ctx, call{op: "GetSecrets", method: http.MethodGet, path: spacePath(repoID, "secrets"), retry: true})
	if err != nil {
		return nil, err
	}
	secrets := make(map[string]SpaceSecret, len(raw))
	for k, e := range raw {
		secrets[k] = SpaceSecret{Key: k, Description: string(e.Description), UpdatedAt: time.Time(e.UpdatedAt)}
	}
	return secrets, nil
}

// AddSecret adds a secret, or updates it when the key exists. The value is
// sent once and never returned or logged.
func (s *SpacesService) AddSecret(ctx context.Context, repoID, key, value string, opts *SecretOptions) error {
	if err := validateSpaceID(repoID); err != nil {
		return err
	}
	if err := ValidateEnvKey(key); err != nil {
		return err
	}
	if err := opts.valid(); err != nil {
		return err
	}
	body := envBody{Key: key, Value: value}
	if opts != nil {
		body.Description = opts.Description
	}
	return s.client.do(ctx, call{op: "AddSecret", method: http.MethodPost, path: spacePath(repoID, "secrets"), body: body, retry: true,
		secrets: []string{value}}, nil)
}

// DeleteSecret removes a secret. A key that is not there is not an error.
func (s *SpacesService) DeleteSecret(ctx context.Context, repoID, key string) error {
	if err := validateSpaceID(repoID); err != nil {
		return err
	}
	if err := ValidateEnvKey(key); err != nil {
		return err
	}
	return s.client.do(ctx, call{op: "DeleteSecret", method: http.MethodDelete, path: spacePath(repoID, "secrets"), body: keyBody{key}, retry: true}, nil)
}

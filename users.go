package hfhub

import (
	"context"
	"net/http"
)

// WhoAmI returns the account behind the token: its name, type,
// organizations and the token's role.
func (c *Client) WhoAmI(ctx context.Context) (*User, error) {
	var u User
	if err := c.do(ctx, call{op: "WhoAmI", method: http.MethodGet, path: "/api/whoami-v2", retry: true}, &u); err != nil {
		return nil, err
	}
	return &u, nil
}

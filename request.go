package hfhub

import (
	"context"
	"net/http"
)

// NewRequest builds a request to the Hub.
func (c *Client) NewRequest(ctx context.Context, method, path string, body any) (*http.Request, error) {
	return nil, errNotImplemented
}

// Do sends a request built by NewRequest.
func (c *Client) Do(req *http.Request, v any) (*http.Response, error) {
	return nil, errNotImplemented
}

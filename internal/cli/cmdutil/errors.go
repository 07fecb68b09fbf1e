package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/hfhub-go/hfhub"
)

// Exit codes, as gh has them.
const (
	ExitOK          = 0
	ExitFailure     = 1 // any failure, including usage errors
	ExitCancel      = 2 // interrupted (Ctrl-C) or declined at a prompt
	ExitAuth        = 4 // bad token (401) or not allowed (403)
	ExitPending     = 8 // wait timed out while the Space was still moving
	invalidCredText = "Invalid credentials in Authorization header"
)

// FlagError is a usage error: the command line itself is wrong. The root
// command prints it with a pointer to --help.
type FlagError struct{ err error }

func (e *FlagError) Error() string { return e.err.Error() }
func (e *FlagError) Unwrap() error { return e.err }

// FlagErrorf formats a usage error.
func FlagErrorf(format string, args ...any) error {
	return &FlagError{err: fmt.Errorf(format, args...)}
}

// FlagErrorWrap marks err as a usage error.
func FlagErrorWrap(err error) error { return &FlagError{err: err} }

// ErrCancel is returned when the user declined or interrupted.
var ErrCancel = errors.New("cancelled")

// ErrSilent ends a command with exit code 1 after it has reported the
// problem itself.
var ErrSilent = errors.New("silent error")

// ExitError ends a command with a given exit code and message.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// ExitCode chooses the process exit code for err.
func ExitCode(err error) int {
	var exitErr *ExitError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &exitErr):
		return exitErr.Code
	case errors.Is(err, ErrCancel), errors.Is(err, context.Canceled):
		return ExitCancel
	case errors.Is(err, hfhub.ErrUnauthorized), errors.Is(err, hfhub.ErrForbidden):
		return ExitAuth
	}
	return ExitFailure
}

// DescribeError turns err into one or two lines a person can act on. It
// never includes a token or a secret value: the library keeps them out of
// its errors, and this package never formats them into one.
func DescribeError(err error) string {
	var outcomeErr *outcomeUnknownError
	if errors.As(err, &outcomeErr) {
		return describeOutcomeUnknown(outcomeErr.err, outcomeErr.check)
	}
	if errors.Is(err, hfhub.ErrOutcomeUnknown) {
		return describeOutcomeUnknown(err, "")
	}
	var hintErr *HintError
	if errors.As(err, &hintErr) {
		return DescribeError(hintErr.Err) + "\n" + hintErr.Hint
	}
	var exitErr *ExitError
	if errors.As(err, &exitErr) {
		return DescribeError(exitErr.Err)
	}
	var apiErr *hfhub.APIError
	if errors.As(err, &apiErr) {
		return describeAPIError(apiErr)
	}
	var flagErr *FlagError
	if errors.As(err, &flagErr) {
		return flagErr.Error()
	}
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		// A file of the user's: its error (a syscall.Errno) would also pass
		// for a net.Error below.
		return trimLib(err.Error())
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out waiting for the Hub"
	case (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)) && strings.Contains(err.Error(), "hfhub: "):
		// A request of the library's, which names the call ("Logs: GET
		// url") before the EOF.
		what := strings.TrimSuffix(strings.TrimSuffix(trimLib(err.Error()), ": "+io.ErrUnexpectedEOF.Error()), ": "+io.EOF.Error())
		return fmt.Sprintf("The Hub closed the connection without an answer (%s).\nTry again; --debug shows the requests.", what)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Sprintf("could not connect to the Hub (%s): connection refused.\nCheck --endpoint or HF_ENDPOINT, or start one with `hfspaces emulator`.", connTarget(err))
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return fmt.Sprintf("could not resolve %s: %v.\nCheck your network connection, --endpoint or HF_ENDPOINT.", dnsErr.Name, dnsErr.Err)
	}
	var (
		errno  syscall.Errno
		opErr  *net.OpError
		urlErr *url.Error
	)
	if errors.As(err, &errno) && !errors.As(err, &opErr) && !errors.As(err, &urlErr) {
		// A local file's error stripped of its *fs.PathError ("could not
		// read the variable file x.env: no such file or directory"): an
		// Errno passes for a net.Error, but the network is not to blame.
		return trimLib(err.Error())
	}
	var netErr net.Error
	if errors.As(err, &netErr) && !isBareErrno(netErr) {
		return fmt.Sprintf("could not reach the Hub: %s.\nCheck your network connection, --endpoint or HF_ENDPOINT.", trimLib(err.Error()))
	}
	return trimLib(err.Error())
}

// isBareErrno: a system call's error number passes for a net.Error (it has
// Timeout and Temporary methods), but alone, outside a network operation,
// it is about a file or a process, not about the Hub.
func isBareErrno(err net.Error) bool {
	_, ok := err.(syscall.Errno)
	return ok
}

func connTarget(err error) string {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Addr != nil {
		return opErr.Addr.String()
	}
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		if u, perr := url.Parse(urlErr.URL); perr == nil {
			return u.Host
		}
	}
	return "unknown address"
}

// trimLib drops the library's "hfhub: " prefixes, which mean nothing to a
// person at a shell.
func trimLib(s string) string {
	return strings.ReplaceAll(s, "hfhub: ", "")
}

func describeAPIError(e *hfhub.APIError) string {
	space := spaceFromURL(e.URL)
	msg := strings.TrimSpace(e.Message)
	withMsg := func(s string) string {
		if msg == "" {
			return s
		}
		return s + ": " + strings.TrimSuffix(msg, ".")
	}
	switch {
	case errors.Is(e, hfhub.ErrNotFound) && e.StatusCode == http.StatusUnauthorized:
		// The Hub answers 401 RepoNotFound to a request without a token.
		what := "It"
		if space != "" {
			what = "Space " + space
		}
		return what + " was not found, or this needs a token and the request had none.\nPass a token with --token or HF_TOKEN, or run `hf auth login`."
	case errors.Is(e, hfhub.ErrNotFound) && (e.Code == "EntryNotFound" || e.Code == "RevisionNotFound"):
		// The Space is there; a file, folder or revision in it is not.
		what := "a file or folder"
		if e.Code == "RevisionNotFound" {
			what = "a revision"
		}
		where := ""
		if space != "" {
			where = " of Space " + space
		}
		return withMsg(fmt.Sprintf("Not found: %s%s (404)", what, where)) + "."
	case errors.Is(e, hfhub.ErrNotFound):
		if space != "" {
			return fmt.Sprintf("Space %s not found, or you are not allowed to see it.\nCheck the id or run `hfspaces whoami`.", space)
		}
		return withMsg("not found (404)") + "."
	case errors.Is(e, hfhub.ErrUnauthorized):
		if msg == invalidCredText {
			return "The Hub rejected the token (401: invalid credentials).\nPass a valid token with --token or HF_TOKEN, or run `hf auth login`."
		}
		return "This needs a token (401 Unauthorized).\nPass one with --token or HF_TOKEN, or run `hf auth login`."
	case errors.Is(e, hfhub.ErrForbidden):
		where := ""
		if space != "" {
			where = " on Space " + space
		}
		return withMsg("Permission denied"+where+" (403 Forbidden)") +
			".\nChanges need a write token of the owner or of a member of its organization; check with `hfspaces whoami`."
	case errors.Is(e, hfhub.ErrBadRequest):
		return withMsg(fmt.Sprintf("The Hub refused %s (400 Bad Request)", requestName(e, space))) + "."
	case errors.Is(e, hfhub.ErrConflict):
		return withMsg("Conflict (409)") + "."
	case errors.Is(e, hfhub.ErrRateLimited):
		wait := "a moment"
		if e.RetryAfter > 0 {
			wait = e.RetryAfter.Round(time.Second).String()
		}
		return fmt.Sprintf("The Hub is rate limiting these requests (429 Too Many Requests).\nTry again in %s.", wait)
	case errors.Is(e, hfhub.ErrServer):
		s := withMsg(fmt.Sprintf("The Hub failed (%d %s)", e.StatusCode, http.StatusText(e.StatusCode))) + "; try again later."
		if e.RequestID != "" {
			s += "\nRequest id for Hugging Face support: " + e.RequestID
		}
		return s
	}
	return withMsg(fmt.Sprintf("The Hub answered %d %s", e.StatusCode, http.StatusText(e.StatusCode))) + "."
}

// requestName names what was refused: "the hardware request for demo/app".
func requestName(e *hfhub.APIError, space string) string {
	if space == "" {
		return "the request"
	}
	u, err := url.Parse(e.URL)
	if err != nil {
		return "the request for " + space
	}
	rest := strings.TrimPrefix(u.Path, "/api/spaces/"+space)
	switch strings.Trim(rest, "/") {
	case "hardware":
		return "the hardware request for " + space
	case "sleeptime":
		return "the sleep time for " + space
	case "storage":
		if e.Method == http.MethodDelete {
			return "deleting the storage of " + space
		}
		return "the storage request for " + space
	case "volumes":
		if e.Method == http.MethodDelete {
			return "deleting the volumes of " + space
		}
		return "the volumes for " + space
	case "pause":
		return "pausing " + space
	case "restart":
		return "restarting " + space
	case "dev-mode":
		return "dev mode for " + space
	case "duplicate":
		return "duplicating " + space
	}
	return "the request for " + space
}

// spaceFromURL finds "namespace/name" in a /api/spaces/{namespace}/{name}/…
// URL, or "" for URLs about no particular Space.
func spaceFromURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	rest, ok := strings.CutPrefix(u.Path, "/api/spaces/")
	if !ok {
		// The file routes: /spaces/ns/name/resolve/…, /spaces/ns/name.git/…
		if rest, ok = strings.CutPrefix(u.Path, "/spaces/"); !ok {
			return ""
		}
		parts := strings.SplitN(rest, "/", 3)
		if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
			return ""
		}
		return parts[0] + "/" + strings.TrimSuffix(parts[1], ".git")
	}
	parts := strings.SplitN(rest, "/", 3)
	if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
		return ""
	}
	return parts[0] + "/" + parts[1]
}

// OutcomeUnknown tells the user how to check an operation that may or may
// not have been applied: when err wraps hfhub.ErrOutcomeUnknown (the
// library did not repeat a request that is not safe to repeat, and the
// connection broke after it was sent), the message names check, a command
// that shows whether it was ("hfspaces info demo/copy"), instead of saying
// to try again. Other errors are returned unchanged.
func OutcomeUnknown(err error, check string) error {
	if err == nil || !errors.Is(err, hfhub.ErrOutcomeUnknown) {
		return err
	}
	return &outcomeUnknownError{err: err, check: check}
}

type outcomeUnknownError struct {
	err   error
	check string
}

func (e *outcomeUnknownError) Error() string { return e.err.Error() }
func (e *outcomeUnknownError) Unwrap() error { return e.err }

// describeOutcomeUnknown never says "try again": a Duplicate tried again
// after it was done gets a 409, a Restart restarts twice.
func describeOutcomeUnknown(err error, check string) string {
	s := fmt.Sprintf("The request may or may not have reached the Hub: the connection broke after it was sent, so it was not sent again (%s).", trimLib(err.Error()))
	if check != "" {
		return s + fmt.Sprintf("\nCheck with `%s` before running it again.", check)
	}
	return s + "\nCheck the Space's state before running it again."
}

// HintError adds a hint (a line such as "Did you mean t4-small?") to an
// error without hiding it from errors.Is and errors.As.
type HintError struct {
	Err  error
	Hint string
}

func (e *HintError) Error() string { return e.Err.Error() + "\n" + e.Hint }
func (e *HintError) Unwrap() error { return e.Err }

// WithHint attaches hint to err; an empty hint leaves err unchanged.
func WithHint(err error, hint string) error {
	if err == nil || hint == "" {
		return err
	}
	return &HintError{Err: err, Hint: hint}
}
